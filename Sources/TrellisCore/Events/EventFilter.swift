import Foundation

/// The filters of `GET /event-logs` (API §8.1). Every set field must match.
public struct EventFilter: Sendable, Hashable {
    /// `dag_run` or `llm_usage` (which matches nothing in Trellis).
    public var kind: String?
    public var type: String?
    public var dagName: String?
    public var dagRunId: String?
    public var attemptId: String?
    /// A `sessionId`, `userId` or `model` value was given: no Trellis event carries them.
    public var matchesNothing = false
    /// Inclusive bounds on `occurredAt` (milliseconds).
    public var startTime: Int64?
    public var endTime: Int64?

    public init(kind: String? = nil, type: String? = nil, dagName: String? = nil, dagRunId: String? = nil,
                attemptId: String? = nil, matchesNothing: Bool = false, startTime: Int64? = nil, endTime: Int64? = nil) {
        self.kind = kind
        self.type = type
        self.dagName = dagName
        self.dagRunId = dagRunId
        self.attemptId = attemptId
        self.matchesNothing = matchesNothing
        self.startTime = startTime
        self.endTime = endTime
    }

    /// Whether an entry with these fields matches.
    public func matches(kind entryKind: String, type entryType: String, dagName entryDAG: String?, dagRunId entryRun: String?,
                        attemptId entryAttempt: String?, occurredAt: Int64) -> Bool {
        if matchesNothing { return false }
        if let kind, kind != entryKind { return false }
        if let type, type != entryType { return false }
        if let dagName, dagName != entryDAG { return false }
        if let dagRunId, dagRunId != entryRun { return false }
        if let attemptId, attemptId != entryAttempt { return false }
        if let startTime, occurredAt < startTime { return false }
        if let endTime, occurredAt > endTime { return false }
        return true
    }

    public func matches(_ entry: EventLogEntry) -> Bool {
        matches(kind: entry.kind, type: entry.type, dagName: entry.dagName, dagRunId: entry.dagRunId,
                attemptId: entry.attemptId, occurredAt: entry.occurredAt)
    }

    /// Identifies the filters, so a cursor is only accepted with the ones it was issued for.
    public var fingerprint: String {
        let parts = [kind ?? "", type ?? "", dagName ?? "", dagRunId ?? "", attemptId ?? "", matchesNothing ? "1" : "0",
                     startTime.map(String.init) ?? "", endTime.map(String.init) ?? ""]
        return String(EventID.hex(SHA256.hash(Array(parts.joined(separator: "\u{1}").utf8))).prefix(16))
    }
}
