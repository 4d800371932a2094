import Foundation

/// Where lifecycle events are appended (API §8; format §17). Implementations take a lock per
/// file; a failed append must never fail the run or request that caused it — callers log it.
public protocol EventLog: Sendable {
    /// Appends `entry` to the day file of its `recordedAt`; `.synced` fsyncs before returning.
    func append(_ entry: EventLogEntry, durability: Durability) throws(StoreError)
}

/// Reads the event log a page at a time (API §8.1).
public protocol EventLogReading: Sendable {
    func page(_ query: EventQuery) throws(StoreError) -> EventPage
}
