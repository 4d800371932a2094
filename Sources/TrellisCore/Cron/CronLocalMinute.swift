import Foundation

/// A wall-clock minute (year, month, day, hour, minute) with no zone attached.
///
/// "Local seconds" below means the wall-clock reading expressed as if it were UTC seconds since
/// 1970, that is `instant + secondsFromGMT(instant)`.
struct CronLocalMinute: Sendable, Hashable, Comparable, CustomStringConvertible {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// Creates a wall-clock minute from its components; they are expected to be valid.
    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The wall-clock minute containing `localSeconds` (rounded down).
    init(localSeconds: Int) {
        let minutes = Self.floorDivide(localSeconds, 60)
        let days = Self.floorDivide(minutes, 1440)
        let minuteOfDay = minutes - days * 1440
        let date = CivilDate.date(days: days)
        self.init(
            year: date.year,
            month: date.month,
            day: date.day,
            hour: minuteOfDay / 60,
            minute: minuteOfDay % 60
        )
    }

    /// The wall-clock reading as seconds since 1970-01-01T00:00 on the same wall clock.
    var localSeconds: Int {
        let days = CivilDate.days(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60
    }

    static func < (lhs: CronLocalMinute, rhs: CronLocalMinute) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute)
    }

    /// `2026-03-08 02:30`, for test failure messages.
    var description: String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(pad(month))-\(pad(day)) \(pad(hour)):\(pad(minute))"
    }

    /// Division rounding toward negative infinity.
    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
