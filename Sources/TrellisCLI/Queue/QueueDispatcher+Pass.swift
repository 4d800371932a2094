import Foundation
import Logging
import TrellisCore
import TrellisStore

extension QueueDispatcher {
    /// One pass over every queue: plans and appends under each queue's lock; returns the claims
    /// to start. `inFlight` are the claims whose start is still running.
    func pass(inFlight: Set<RunRef>) -> [Claim] {
        let names: [String]
        do {
            names = try queues.queueNames()
        } catch {
            logger.error("cannot list the queues", metadata: ["path": "\(queues.directory)", "error": "\(error)"])
            return []
        }
        var states: [String: QueueState] = [:]
        for name in names {
            do {
                let state = try queues.state(of: name)
                if !state.isEmpty { states[name] = state }
            } catch {
                logger.error("cannot read a queue", metadata: ["queue": "\(name)", "error": "\(error)"])
            }
        }
        guard !states.isEmpty else { return [] }
        let live = liveRuns(states: states)
        return states.keys.sorted().flatMap { plan($0, live: live[$0] ?? [], inFlight: inFlight) }
    }

    /// Root runs whose lock is held, by queue (§14.2): the claimed and running items of the
    /// queue files and the recent runs whose status says `running` (direct starts), each checked
    /// against its latest snapshot; dead ones are repaired and their slots freed on the way.
    func liveRuns(states: [String: QueueState]) -> [String: Set<RunRef>] {
        var candidates: [RunRef] = []
        var seen = Set<RunRef>()
        for state in states.values {
            for item in state.claimed + state.running where seen.insert(item.run).inserted { candidates.append(item.run) }
        }
        do {
            for entry in try recent.list(now: now()) where seen.insert(entry.run).inserted { candidates.append(entry.run) }
        } catch {
            logger.error("cannot list recent runs to count live runs", metadata: ["error": "\(error)"])
        }
        var live: [String: Set<RunRef>] = [:]
        for run in candidates {
            guard let snapshot = try? store.latestSnapshot(of: run), snapshot.parent == nil,
                  snapshot.status == .running || snapshot.status == .notStarted else { continue }
            if reaper.reap(run) != nil { continue }
            live[snapshot.queue.isEmpty ? run.name : snapshot.queue, default: []].insert(run)
        }
        return live
    }

    /// Plans one queue under its lock, writes the snapshots of aborted and expired runs, holds
    /// the run locks of reopened claims while their records are appended, and appends the plan's
    /// records with a new token per claim. Any failure leaves the queue as it was for the next pass.
    func plan(_ queue: String, live: Set<RunRef>, inFlight: Set<RunRef>) -> [Claim] {
        // Released once the records are durable, after `update` returned.
        var reopenLocks: [any RunLock] = []
        defer { reopenLocks.forEach { $0.release() } }
        do {
            return try queues.update(queue) { state in
                let time = now()
                var unreadable: (any Error)?
                let input = DispatchPlanner.QueueInput(name: queue, state: state, concurrency: concurrency(of: queue, state: state),
                                                       liveRuns: live)
                let plan = planner.plan(input, inFlight: inFlight, now: time) { run in
                    do {
                        return try facts(run)
                    } catch {
                        unreadable = error
                        return nil
                    }
                }
                // A run that cannot be read is not a missing run: decide nothing this time.
                if let unreadable { throw unreadable }
                guard !plan.isEmpty else { return ([], []) }
                for run in plan.aborts { try abortSuspended(run, at: time) }
                for run in plan.expiredClaims where try !markFailedBeforeStart(run, error: plan.claimTimeoutError) {
                    throw StoreError(.io, "run \(run) holds its lock after its claim expired")
                }
                for run in plan.reopened { reopenLocks.append(try lockForReopen(run)) }
                log(plan)
                let tokens = Dictionary(uniqueKeysWithValues: plan.claims.map { ($0, QueueRecord.newClaimToken()) })
                return (plan.records(at: time, tokens: tokens), plan.claims.map { Claim(run: $0, queue: queue, token: tokens[$0]) })
            }
        } catch {
            logger.error("cannot dispatch a queue", metadata: ["queue": "\(queue)", "error": "\(error)"])
            return []
        }
    }

    /// The run lock of a claim to reopen, with the run still `queued`. Holding it until the
    /// `reopen` is durable is the dispatcher's half of the fence: an agent of the old claim that
    /// holds the lock is about to check or to start the run, so its claim is left alone
    /// (throws; the queue waits for the next pass), and one that takes the lock later finds the
    /// claim reopened.
    func lockForReopen(_ run: RunRef) throws -> any RunLock {
        guard let lock = try store.tryLock(run) else {
            throw StoreError(.io, "run \(run) holds its lock while its claim is lost")
        }
        guard try store.latestSnapshot(of: run)?.status == .queued else {
            lock.release()
            throw StoreError(.io, "run \(run) left queued while its lost claim was being reopened")
        }
        return lock
    }

    /// The run of an item as the planner needs it; `nil` when it does not exist.
    func facts(_ run: RunRef) throws -> DispatchRunFacts? {
        guard let snapshot = try store.latestSnapshot(of: run) else { return nil }
        var facts = DispatchRunFacts(status: snapshot.status, triggerType: snapshot.triggerType)
        if snapshot.triggerType == .scheduler, let fileName = try store.header(of: run)?.sourceFileName {
            facts.dagSuspended = catalog.isSuspended(fileName: fileName)
        }
        return facts
    }

    /// §14.1 for `queue`: a global queue's `max_concurrency`, else the `max_active_runs` of the
    /// DAG it belongs to — the catalog's, or for a DAG that is not in the catalog (an inline
    /// spec) the one stored with the queue's first waiting run — else 1.
    func concurrency(of queue: String, state: QueueState) -> Int {
        if globalQueues.contains(where: { $0.name == queue }) {
            return DispatchPlanner.concurrency(of: queue, globalQueues: globalQueues, dag: nil)
        }
        var dag = catalog.entry(dagName: queue)?.load.dag
        if dag == nil, let head = (state.open + state.claimed).first(where: { $0.run.name == queue }),
           let spec = try? store.spec(of: head.run) {
            dag = DAGLoader.load(text: spec, fileName: queue + ".yaml").dag
            dag?.name = queue
        }
        return DispatchPlanner.concurrency(of: queue, globalQueues: globalQueues, dag: dag)
    }

    /// Aborts a scheduler-triggered run of a suspended DAG (§14.3, §15.3).
    func abortSuspended(_ run: RunRef, at time: Date) throws {
        guard var snapshot = try store.latestSnapshot(of: run), snapshot.status == .queued else { return }
        snapshot.status = .aborted
        snapshot.error = DispatchPlanner.suspendedError
        snapshot.finishedAt = time
        try store.append(snapshot, durability: .synced)
    }

    private func log(_ plan: DispatchPlan) {
        for run in plan.claims {
            logger.info("claimed a queued run", metadata: ["queue": "\(plan.queue)", "dag.name": "\(run.name)", "run.id": "\(run.id)"])
        }
        for run in plan.aborts {
            logger.info("aborted a queued run of a suspended DAG", metadata: ["queue": "\(plan.queue)", "dag.name": "\(run.name)", "run.id": "\(run.id)"])
        }
        for run in plan.reopened {
            logger.warning("a claimed run never started; its claim is reopened",
                           metadata: ["queue": "\(plan.queue)", "dag.name": "\(run.name)", "run.id": "\(run.id)"])
        }
        for run in plan.expiredClaims {
            logger.warning("a claimed run never started", metadata: ["queue": "\(plan.queue)", "dag.name": "\(run.name)", "run.id": "\(run.id)"])
        }
        if !plan.drops.isEmpty || !plan.finished.isEmpty {
            logger.debug("settled queue items", metadata: ["queue": "\(plan.queue)", "dropped": "\(plan.drops.count)", "done": "\(plan.finished.count)"])
        }
    }
}
