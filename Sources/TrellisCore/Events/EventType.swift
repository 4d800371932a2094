import Foundation

/// The event types of API §8.2.
public enum EventType: String, Sendable, Hashable, CaseIterable {
    case queued = "dag.run.queued"
    case running = "dag.run.running"
    case succeeded = "dag.run.succeeded"
    case failed = "dag.run.failed"
    case aborted = "dag.run.aborted"
    case updated = "dag.run.updated"
    /// [later]: approvals; accepted as a filter, never emitted.
    case waiting = "dag.run.waiting"
    /// [later]: approvals; accepted as a filter, never emitted.
    case rejected = "dag.run.rejected"
}
