import Foundation

/// Who writes an event and when (everything the planner needs besides the run).
public struct EventContext: Sendable, Hashable {
    public var source: EventSource
    /// `<hostname>:<pid>`.
    public var instance: String?
    /// The time of the write: `recordedAt`, and `occurredAt` of `dag.run.updated`.
    public var now: Date
    /// A fresh random hex string for the ID of a `dag.run.updated` event.
    public var updateToken: String

    public init(source: EventSource, instance: String?, now: Date, updateToken: String) {
        self.source = source
        self.instance = instance
        self.now = now
        self.updateToken = updateToken
    }
}

/// Decides which event (API §8.2) a persisted run snapshot produces, given the status of the
/// line before it: one per lifecycle change, `dag.run.updated` when a finished run is rewritten
/// with the same lifecycle status, nothing otherwise.
public enum EventPlanner {
    /// The lifecycle event type of a status; `nil` for `not_started` and the [later] approval
    /// states. Partially succeeded counts as succeeded.
    public static func lifecycleType(_ status: RunStatus) -> EventType? {
        switch status {
        case .queued: .queued
        case .running: .running
        case .succeeded, .partiallySucceeded: .succeeded
        case .failed: .failed
        case .aborted: .aborted
        case .notStarted, .waiting, .rejected: nil
        }
    }

    /// The event for `snapshot` appended after a line with status `previous` (`nil`: no line
    /// before it, e.g. a new run), or `nil` when nothing changed in the lifecycle.
    public static func event(previous: RunStatus?, snapshot: RunSnapshot, context: EventContext) -> EventLogEntry? {
        guard let type = lifecycleType(snapshot.status) else { return nil }
        let now = EventTime.milliseconds(context.now)
        let eventType: EventType
        let occurredAt: Int64
        if let previous, lifecycleType(previous) == type {
            guard type != .queued, type != .running else { return nil }
            eventType = .updated
            occurredAt = now
        } else {
            eventType = type
            occurredAt = (occurrence(of: type, in: snapshot)).map(EventTime.milliseconds) ?? now
        }
        let id = eventType == .updated
            ? EventID.update(token: context.updateToken)
            : EventID.stable(type: eventType, dagName: snapshot.run.name, dagRunId: snapshot.run.id, attemptId: snapshot.attemptId)
        return EventLogEntry(
            id: id, occurredAt: occurredAt, recordedAt: now, type: eventType.rawValue, sourceService: context.source.rawValue,
            sourceInstance: context.instance, dagName: snapshot.run.name, dagRunId: snapshot.run.id,
            attemptId: snapshot.attemptId.isEmpty ? nil : snapshot.attemptId, status: snapshot.status.label,
            data: EventData.dagRunStatus(snapshot))
    }

    /// `occurredAt` of §8.2: `queuedAt`, `startedAt`, or `finishedAt` (else `startedAt`, else
    /// `queuedAt`) for the final types.
    static func occurrence(of type: EventType, in snapshot: RunSnapshot) -> Date? {
        switch type {
        case .queued: snapshot.queuedAt ?? snapshot.createdAt
        case .running: snapshot.startedAt
        case .succeeded, .failed, .aborted: snapshot.finishedAt ?? snapshot.startedAt ?? snapshot.queuedAt
        case .updated, .waiting, .rejected: nil
        }
    }
}

/// Event IDs (API §8.2).
public enum EventID {
    /// `dag_` + hex SHA-256 of `type|dagName|dagRunId|attemptId`: a replayed write gets the same ID.
    public static func stable(type: EventType, dagName: String, dagRunId: String, attemptId: String) -> String {
        "dag_" + hex(SHA256.hash(Array("\(type.rawValue)|\(dagName)|\(dagRunId)|\(attemptId)".utf8)))
    }

    /// `dag_update_<hex>` of a random token.
    public static func update(token: String) -> String {
        "dag_update_" + token
    }

    /// 16 random bytes as hex, for ``update(token:)``.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The `data` object of `dag_run` events (API §8.2), snake_case inside.
public enum EventData {
    public static func dagRunStatus(_ snapshot: RunSnapshot) -> JSONValue {
        var status: [(String, JSONValue)] = [("root", ref(snapshot.root))]
        if let parent = snapshot.parent { status.append(("parent", ref(parent))) }
        status += [
            ("name", .string(snapshot.run.name)), ("dag_run_id", .string(snapshot.run.id)),
            ("attempt_id", .string(snapshot.attemptId)), ("proc_group", .string(snapshot.queue)),
            ("status", .integer(snapshot.status.rawValue)),
        ]
        if let error = snapshot.error, !error.isEmpty { status.append(("error", .string(error))) }
        if !snapshot.log.isEmpty { status.append(("log", .string(snapshot.log))) }
        if let time = snapshot.queuedAt { status.append(("queued_at", .string(Timestamps.rfc3339(time)))) }
        if let time = snapshot.startedAt { status.append(("started_at", .string(Timestamps.rfc3339(time)))) }
        if let time = snapshot.finishedAt { status.append(("finished_at", .string(Timestamps.rfc3339(time)))) }
        status.append(("nodes", .array(snapshot.nodes.map(node))))
        if let handler = snapshot.handlers["onFailure"] { status.append(("on_failure", node(handler))) }
        if let handler = snapshot.handlers["onExit"] { status.append(("on_exit", node(handler))) }
        return .object(JSONObject([("dag_run_status", .object(JSONObject(status)))]))
    }

    private static func ref(_ run: RunRef) -> JSONValue {
        .object(JSONObject([("name", .string(run.name)), ("dag_run_id", .string(run.id))]))
    }

    private static func node(_ record: NodeRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [("step_name", .string(record.name)), ("status", .integer(record.status.rawValue))]
        if let error = record.error, !error.isEmpty { fields.append(("error", .string(error))) }
        return .object(JSONObject(fields))
    }
}
