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
