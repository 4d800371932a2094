import Foundation

/// One line of a queue file, `data/queues/<queue>.jsonl` (§14.5).
///
/// `{"op": "enqueue"|"claim"|"reopen"|"start"|"done"|"dequeue"|"drop", "dag": …, "runId": …,
/// "at": …, "priority"?, "token"?, "error"?}`. A queue's state is the fold of its records
/// (``QueueState``).
public struct QueueRecord: Sendable, Hashable, Codable {
    /// What happened to the run in the queue.
    public enum Op: String, Sendable, Hashable, Codable, CaseIterable {
        /// The run was queued (status `queued`); it waits for a free slot. Written after the
        /// run's claim, it is a new attempt of the run (a queued retry) and replaces the ended one.
        case enqueue
        /// The dispatcher took the item and is starting its run agent; `token` fences the claim
        /// (only the agent started with it may run the run).
        case claim
        /// A claim whose run agent never started (the dispatcher that made it died) was given
        /// up: the item is open again, in its place, for a fresh claim; `error` says why.
        case reopen
        /// The run occupies a slot: a claimed run started, or a direct start.
        case start
        /// The run finished and freed its slot (appended only while the run's latest status says
        /// it ended, so it never follows the `enqueue` of a newer attempt).
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
    /// For `claim`: the claim's token, passed to the run agent the claim starts; the agent runs
    /// the run only while this is the item's current claim. Absent in files written before
    /// claims were fenced: such a claim is never reopened, and its agent is not fenced.
    public var token: String?
    /// For `drop` and `reopen`: why the run could not be started.
    public var error: String?

    public init(op: Op, dag: String, runId: String, at: Date, priority: QueuePriority? = nil, token: String? = nil,
                error: String? = nil) {
        self.op = op
        self.dag = dag
        self.runId = runId
        self.at = at
        self.priority = priority
        self.token = token
        self.error = error
    }

    public init(_ op: Op, _ run: RunRef, at: Date, priority: QueuePriority? = nil, token: String? = nil, error: String? = nil) {
        self.init(op: op, dag: run.name, runId: run.id, at: at, priority: priority, token: token, error: error)
    }

    /// The run the record is about.
    public var run: RunRef { RunRef(name: dag, id: runId) }

    /// A new claim token: 16 random hex digits, never reused in practice.
    public static func newClaimToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether `text` has the shape of a claim token (1–64 letters, digits, `-`, `_`).
    public static func isValidClaimToken(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// Dispatch priority of a queued run (§14.3): `high` before `low`, FIFO within each.
public enum QueuePriority: String, Sendable, Hashable, Codable, CaseIterable {
    case high
    case low
}
