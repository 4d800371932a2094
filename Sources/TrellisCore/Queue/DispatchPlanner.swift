import Foundation

/// What the dispatcher knows about the run of a queue item when it plans (§14.3).
public struct DispatchRunFacts: Sendable, Hashable {
    /// The run's latest status.
    public var status: RunStatus
    public var triggerType: TriggerType
    /// Whether the run's DAG file is suspended (§15.3). Only scheduler-triggered runs are
    /// affected, so a caller may leave it `false` for other runs.
    public var dagSuspended: Bool

    public init(status: RunStatus, triggerType: TriggerType = .manual, dagSuspended: Bool = false) {
        self.status = status
        self.triggerType = triggerType
        self.dagSuspended = dagSuspended
    }
}

/// The queue dispatcher's decisions (§14.2, §14.3), pure: which head items of a queue to claim
/// and which items to take out of it. The dispatcher service reads the queue state under the
/// queue file's lock, asks the planner, appends ``DispatchPlan/records(at:)`` and acts on the
/// plan (starts the claimed runs, writes the aborted and failed snapshots).
///
/// Per queue, `free = concurrency − occupied`, where the occupied slots are the live runs of the
/// queue (lock held, however they were started: direct starts count) together with its claimed
/// items whose run has not finished — a claim still `queued` is *claimed-not-yet-running*; one
/// whose run runs may be missing from the live set only because it started after the live runs
/// were counted. Open items are then taken FIFO (`high` before `low`):
/// - run missing, or no longer `queued` (already running, ended) → dropped, no error. This is
///   judged on the facts alone: the live runs were counted before the queue was read, so a run
///   counted live that is `queued` now is a new attempt (a queued retry) whose earlier attempt
///   ended meanwhile — it waits for a slot like any open item;
/// - a scheduler-triggered run of a suspended DAG → aborted, "DAG suspended before dispatch";
/// - otherwise claimed while a slot is free; the first item that finds no free slot ends the walk,
///   so the runs behind it are not read.
///
/// Claimed items that no start in flight covers are settled: a run still `queued` after
/// ``claimTimeout`` never got its agent (the dispatcher that claimed it died, or its agent is
/// stuck) → its claim is **reopened**: the item is open again in its place and takes part in
/// the walk above, so it is claimed again with a new token while a slot is free; its old agent,
/// if there is one, then loses the fence (``QueuedStartFence``). An item is reopened at most
/// ``maxReopens`` times; then, and for a claim without a token (written before claims were
/// fenced, whose agent cannot be fenced), the run is failed and dropped with the error. A run
/// that ended → `done`; a missing run → dropped. Running items (direct starts recorded with
/// `start`) occupy a slot while their run is active and get `done` once it ended.
public struct DispatchPlanner: Sendable {
    /// The run error of a scheduler-triggered run of a suspended DAG (§14.3, §15.3).
    public static let suspendedError = "DAG suspended before dispatch"

    /// How long a claimed run may stay `queued` before its claim counts as lost (§14.3: no
    /// `running` within 10 s of the claim).
    public var claimTimeout: TimeInterval
    /// How many times a lost claim is reopened for a new claim before the run is failed.
    public var maxReopens: Int

    public init(claimTimeout: TimeInterval = 10, maxReopens: Int = 2) {
        self.claimTimeout = claimTimeout
        self.maxReopens = maxReopens
    }

    /// The run error of a claim whose run agent never started.
    public var claimTimeoutError: String {
        "run agent did not start within \(Self.seconds(claimTimeout)) of the claim"
    }

    /// One queue as the planner sees it.
    public struct QueueInput: Sendable, Hashable {
        public var name: String
        /// The fold of the queue file, read under its lock.
        public var state: QueueState
        /// How many runs of the queue may run at once (``DispatchPlanner/concurrency(of:globalQueues:dag:)``).
        public var concurrency: Int
        /// Root runs of the queue whose run lock is held, however they were started (§14.2).
        public var liveRuns: Set<RunRef>

        public init(name: String, state: QueueState, concurrency: Int, liveRuns: Set<RunRef> = []) {
            self.name = name
            self.state = state
            self.concurrency = concurrency
            self.liveRuns = liveRuns
        }
    }

    /// The concurrency of `queue` (§14.1): a declared global queue's `max_concurrency`; else,
    /// for the DAG's own queue (named after the DAG), its `max_active_runs`; else 1 (a `queue:`
    /// naming an undeclared queue). Never below 1.
    public static func concurrency(of queue: String, globalQueues: [QueueConfig], dag: DAG?) -> Int {
        if let global = globalQueues.first(where: { $0.name == queue }) { return max(1, global.maxConcurrency) }
        if let dag, dag.name == queue { return max(1, dag.maxActiveRuns) }
        return 1
    }

    /// Plans one queue.
    ///
    /// - Parameters:
    ///   - inFlight: runs whose start this dispatcher is still waiting for; their claims are
    ///     left alone (the start settles them) and occupy a slot.
    ///   - now: for the age of claims.
    ///   - facts: the run of an item, `nil` when it does not exist; called only for the items
    ///     the plan depends on.
    public func plan(_ queue: QueueInput, inFlight: Set<RunRef> = [], now: Date,
                     facts: (RunRef) -> DispatchRunFacts?) -> DispatchPlan {
        var plan = DispatchPlan(queue: queue.name, claimTimeoutError: claimTimeoutError)
        var occupied = queue.liveRuns
        for item in queue.state.claimed {
            let run = item.run
            guard let current = facts(run) else {
                if !inFlight.contains(run) { plan.drops.append(run) }
                continue
            }
            switch current.status {
            case .queued:
                if inFlight.contains(run) || now.timeIntervalSince(item.since) < claimTimeout {
                    occupied.insert(run)
                } else if item.token != nil && item.claims <= maxReopens {
                    plan.reopened.append(run)
                } else {
                    plan.expiredClaims.append(run)
                }
            case .running, .waiting:
                occupied.insert(run)
            default:
                if !inFlight.contains(run) { plan.finished.append(run) }
            }
        }
        for item in queue.state.running {
            guard let current = facts(item.run) else {
                plan.drops.append(item.run)
                continue
            }
            if current.status.isActive || current.status == .notStarted {
                occupied.insert(item.run)
            } else {
                plan.finished.append(item.run)
            }
        }
        plan.freeSlots = max(0, queue.concurrency - occupied.count)
        var free = plan.freeSlots
        // Reopened items wait in their old place, so they are walked with the open ones.
        let waiting = plan.reopened.isEmpty ? queue.state
            : queue.state.applying(plan.reopened.map { QueueRecord(.reopen, $0, at: now) })
        for item in waiting.open {
            let run = item.run
            guard let current = facts(run), current.status == .queued else {
                plan.drops.append(run)
                continue
            }
            if current.triggerType == .scheduler && current.dagSuspended {
                plan.aborts.append(run)
                continue
            }
            guard free > 0 else { break }
            plan.claims.append(run)
            free -= 1
        }
        return plan
    }

    /// Plans every queue, in the given order.
    public func plan(_ queues: [QueueInput], inFlight: Set<RunRef> = [], now: Date,
                     facts: (RunRef) -> DispatchRunFacts?) -> [DispatchPlan] {
        queues.map { plan($0, inFlight: inFlight, now: now, facts: facts) }
    }

    /// `10 s`, `1.5 s`.
    static func seconds(_ interval: TimeInterval) -> String {
        interval == interval.rounded() ? "\(Int(interval)) s" : "\(interval) s"
    }
}

/// What the dispatcher does to one queue in one pass (``DispatchPlanner``).
public struct DispatchPlan: Sendable, Hashable {
    public var queue: String
    /// Open items to claim and start, in dispatch order.
    public var claims: [RunRef] = []
    /// Items to drop without an error: run missing, no longer `queued`, or already running.
    public var drops: [RunRef] = []
    /// Scheduler-triggered items of a suspended DAG: the run becomes `aborted` with
    /// ``DispatchPlanner/suspendedError``; the item is dropped with that error.
    public var aborts: [RunRef] = []
    /// Claims whose run agent never started (no start in flight, still `queued` after the claim
    /// timeout), to give up: the item is open again (`reopen` with the error), before any claim
    /// of the plan, which may claim it again.
    public var reopened: [RunRef] = []
    /// Claims whose run agent never started, reopened too often already or written without a
    /// token: the run becomes `failed`; the item is dropped with the error.
    public var expiredClaims: [RunRef] = []
    /// Claimed or running items whose run has ended without its `done`: `done`.
    public var finished: [RunRef] = []
    /// Free slots before the claims.
    public var freeSlots = 0
    /// The run error (and `drop` error) of an expired claim.
    public var claimTimeoutError: String

    public init(queue: String, claims: [RunRef] = [], drops: [RunRef] = [], aborts: [RunRef] = [],
                reopened: [RunRef] = [], expiredClaims: [RunRef] = [], finished: [RunRef] = [], freeSlots: Int = 0,
                claimTimeoutError: String = DispatchPlanner().claimTimeoutError) {
        self.queue = queue
        self.claimTimeoutError = claimTimeoutError
        self.claims = claims
        self.drops = drops
        self.aborts = aborts
        self.reopened = reopened
        self.expiredClaims = expiredClaims
        self.finished = finished
        self.freeSlots = freeSlots
    }

    /// Whether the plan changes nothing.
    public var isEmpty: Bool {
        claims.isEmpty && drops.isEmpty && aborts.isEmpty && reopened.isEmpty && expiredClaims.isEmpty && finished.isEmpty
    }

    /// The queue records of the plan, all at `time`: `done` of ended runs, `reopen` of lost
    /// claims (a reopened item may be dropped or claimed again below), `drop`s, then the claims
    /// in dispatch order, each with its token from `tokens` (the dispatcher makes one per claim
    /// and passes it to the claim's agent).
    public func records(at time: Date, tokens: [RunRef: String] = [:]) -> [QueueRecord] {
        finished.map { QueueRecord(.done, $0, at: time) }
            + reopened.map { QueueRecord(.reopen, $0, at: time, error: claimTimeoutError) }
            + drops.map { QueueRecord(.drop, $0, at: time) }
            + aborts.map { QueueRecord(.drop, $0, at: time, error: DispatchPlanner.suspendedError) }
            + expiredClaims.map { QueueRecord(.drop, $0, at: time, error: claimTimeoutError) }
            + claims.map { QueueRecord(.claim, $0, at: time, token: tokens[$0]) }
    }
}
