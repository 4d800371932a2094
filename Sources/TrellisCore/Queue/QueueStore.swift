import Foundation

/// Persistent queues (§14.5): one append-only record file per queue, written under an exclusive
/// lock and fsynced before a call returns, so queued runs survive restarts and several
/// processes (server, scheduler, CLI, run agents) can share the queues.
public protocol QueueStore: Sendable {
    /// Appends `record` to `queue`'s file under its exclusive lock; durable (fsynced) on return.
    func append(_ record: QueueRecord, to queue: String) throws(StoreError)

    /// Under `queue`'s exclusive lock: folds its records, calls `decide` with that state, appends
    /// the records `decide` returns (durable on return) and returns `decide`'s result. No other
    /// writer changes the queue between the read and the append, so a decision taken on the
    /// state (claim the head, dequeue an item that is still open) holds. `decide` may do other
    /// work under the lock (append a run snapshot) and may throw, in which case nothing is
    /// appended and the error is rethrown.
    func update<Result>(_ queue: String, _ decide: (QueueState) throws -> (records: [QueueRecord], result: Result)) throws -> Result

    /// The fold of `queue`'s complete records (a torn last record is ignored); empty for a
    /// queue without a file.
    func state(of queue: String) throws(StoreError) -> QueueState

    /// The names of the queues that have a file, sorted.
    func queueNames() throws(StoreError) -> [String]
}
