import Foundation

/// The `schedule` of a DAG (§15.1).
public struct Schedule: Sendable, Hashable {
    public var start: [ScheduleEntry] = []
    public var stop: [ScheduleEntry] = []
    public var restart: [ScheduleEntry] = []

    public init() {}

    /// True when nothing is scheduled.
    public var isEmpty: Bool { start.isEmpty && stop.isEmpty && restart.isEmpty }
}

/// One schedule entry: a cron expression or a one-off time.
public enum ScheduleEntry: Sendable, Hashable, CustomStringConvertible {
    case cron(CronExpression)
    /// A one-off `at` time, with the text as written.
    case at(Date, source: String)

    public var description: String {
        switch self {
        case .cron(let cron): return cron.source
        case .at(_, let source): return source
        }
    }
}
