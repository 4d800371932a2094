import Foundation

/// What the tick planner needs to know about a DAG's runs (§15.2 guards), keyed by DAG name.
public struct LatestRunInfo: Sendable, Hashable {
    /// The status of the latest run.
    public var status: RunStatus
    /// The slot the latest run was scheduled for (`scheduleTime`); nil for runs the scheduler did
    /// not start.
    public var scheduleTime: Date?
    /// When the latest run started.
    public var startedAt: Date?
    /// When the latest run finished; when known, it dates a success more exactly than
    /// `startedAt` for the schedule-edit reset of `skip_if_successful` (§15.3).
    public var finishedAt: Date?
    /// Whether the DAG has an active run, running or queued (any run, not only the latest).
    public var active: Bool

    public init(status: RunStatus, scheduleTime: Date? = nil, startedAt: Date? = nil, finishedAt: Date? = nil,
                active: Bool) {
        self.status = status
        self.scheduleTime = scheduleTime
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.active = active
    }
}
