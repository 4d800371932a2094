import Foundation

/// One of the five positions of a cron expression, with its bounds and names.
enum CronFieldKind: Int, Sendable, Hashable, CaseIterable {
    case minute
    case hour
    case dayOfMonth
    case month
    case dayOfWeek

    /// The name used in error messages and warnings.
    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Smallest value accepted in the field.
    var lowerBound: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        }
    }

    /// Largest value accepted in the field (7 for day-of-week, which also means Sunday).
    var upperBound: Int {
        switch self {
        case .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Where `*` and an open-ended `a/n` stop: the upper bound, except 6 for day-of-week, so
    /// `1/2` means Monday, Wednesday, Friday and not also Sunday by way of 7.
    var openEndedUpperBound: Int {
        self == .dayOfWeek ? 6 : upperBound
    }

    /// Three-letter names accepted in place of numbers, upper-cased, mapped to their values.
    var names: [String: Int] {
        switch self {
        case .month:
            [
                "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
            ]
        case .dayOfWeek:
            ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        case .minute, .hour, .dayOfMonth:
            [:]
        }
    }

    /// `0-59`, `1-31`, … as shown in out-of-range messages.
    var rangeText: String { "\(lowerBound)-\(upperBound)" }
}
