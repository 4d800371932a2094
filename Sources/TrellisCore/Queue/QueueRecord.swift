import Foundation

/// One line of a queue file, `data/queues/<queue>.jsonl` (§14.5).
///
/// `{"op": "enqueue"|"claim"|"start"|"done"|"dequeue"|"drop", "dag": …, "runId": …, "at": …,
/// "priority"?, "error"?}`. A queue's state is the fold of its records (``QueueState``).
public struct QueueRecord: Sendable, Hashable, Codable {
    /// What happened to the run in the queue.
    public enum Op: String, Sendable, Hashable, Codable, CaseIterable {
        /// The run was queued (status `queued`); it waits for a free slot.
        case enqueue
        /// The dispatcher took the item and is starting its run agent.
        case claim
        /// The run occupies a slot: a claimed run started, or a direct start.
        case start
        /// The run finished and freed its slot.
        case done
        /// The queued run was removed by a user (§14.4).
        case dequeue
        /// The dispatcher dropped the item (run missing, no longer queued, failed to start).
        case drop
    }

    public var op: Op
    /// The DAG name of the run.
    public var dag: String
    public var runId: String
    /// When the record was written.
    public var at: Date
    /// For `enqueue`: `high` runs are dispatched before `low` ones (v1 enqueues `low`).
    public var priority: QueuePriority?
    /// For `drop`: why the run could not be started.
    public var error: String?

    public init(op: Op, dag: String, runId: String, at: Date, priority: QueuePriority? = nil, error: String? = nil) {
        self.op = op
        self.dag = dag
        self.runId = runId
        self.at = at
        self.priority = priority
        self.error = error
    }

    public init(_ op: Op, _ run: RunRef, at: Date, priority: QueuePriority? = nil, error: String? = nil) {
        self.init(op: op, dag: run.name, runId: run.id, at: at, priority: priority, error: error)
    }

    /// The run the record is about.
    public var run: RunRef { RunRef(name: dag, id: runId) }
}

/// Dispatch priority of a queued run (§14.3): `high` before `low`, FIFO within each.
public enum QueuePriority: String, Sendable, Hashable, Codable, CaseIterable {
    case high
    case low
}
