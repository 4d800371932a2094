import Foundation

/// The scheduler's memory of one DAG (§15.4), keyed by DAG name in ``SchedulerState``.
public struct DAGScheduleState: Sendable, Hashable, Codable {
    /// The slot of the latest cron start the scheduler planned (the watermark catch-up will use).
    public var lastScheduledTime: Date?
    /// ``ScheduleIdentity/fingerprint(ofStart:)`` of the start schedule last seen.
    public var startFingerprint: String
    /// When the start schedule was last seen to change; a success dated before it does not
    /// suppress a slot under `skip_if_successful` (§15.3). Nil until the first edit.
    public var skipResetAt: Date?
    /// One-off entries by ``ScheduleIdentity`` id.
    public var oneOffs: [String: OneOffState]

    public init(lastScheduledTime: Date? = nil, startFingerprint: String, skipResetAt: Date? = nil,
                oneOffs: [String: OneOffState] = [:]) {
        self.lastScheduledTime = lastScheduledTime
        self.startFingerprint = startFingerprint
        self.skipResetAt = skipResetAt
        self.oneOffs = oneOffs
    }
}

/// The state of one one-off `at` entry (§15.4).
public struct OneOffState: Sendable, Hashable, Codable {
    /// Pending fires at the first tick at or after ``at``; consumed never fires.
    public enum Status: String, Sendable, Hashable, Codable {
        case pending
        case consumed
    }

    /// The one-off time.
    public var at: Date
    public var status: Status

    public init(at: Date, status: Status) {
        self.at = at
        self.status = status
    }
}
