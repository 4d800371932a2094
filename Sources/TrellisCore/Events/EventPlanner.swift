import Foundation

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
