import Foundation

/// The component that persisted a run's lifecycle change (API §8.2 `sourceService`).
public enum EventSource: String, Sendable, Hashable, CaseIterable {
    /// The REST API server.
    case server
    /// The scheduler (cron ticks, queue dispatch, dead-run sweep).
    case scheduler
    /// A run agent or another CLI command.
    case cli
}
