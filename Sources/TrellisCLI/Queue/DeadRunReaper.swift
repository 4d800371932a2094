import Foundation
import Logging
import TrellisCore
import TrellisStore

/// Repairs dead runs (§16.2) and frees their queue slots: the repaired root run gets `done` in
/// its queue file, which also wakes the dispatcher. Shared by ``DeadRunSweeper`` and
/// ``QueueDispatcher`` (which repairs the dead runs it meets while counting live runs).
struct DeadRunReaper: Sendable {
    let repairer: DeadRunRepairer
    let reader: any RunReader
    let queues: any QueueStore
    let now: @Sendable () -> Date
    let logger: Logger

    init(store: any RunReader & RunWriter & RunLocking, queues: any QueueStore, now: @escaping @Sendable () -> Date,
         logger: Logger) {
        repairer = DeadRunRepairer(store: store, now: now, logger: logger)
        reader = store
        self.queues = queues
        self.now = now
        self.logger = logger
    }

    /// The repaired snapshot when `run` was dead, else `nil` (alive, finished, unknown, or the
    /// repair failed — logged).
    func reap(_ run: RunRef) -> RunSnapshot? {
        let repaired: RunSnapshot
        do {
            guard let result = try repairer.repairIfDead(run) else { return nil }
            repaired = result
        } catch {
            logger.warning("cannot repair a dead run", metadata: ["dag.name": "\(run.name)", "run.id": "\(run.id)", "error": "\(error)"])
            return nil
        }
        guard repaired.parent == nil else { return repaired }
        let queue = repaired.queue.isEmpty ? run.name : repaired.queue
        do {
            // Under the queue's lock, and only while the run is still the one that ended: a
            // retry queued meanwhile has replaced its item.
            try queues.releaseSlot(of: run, in: queue, reader: reader, at: now())
        } catch {
            logger.warning("cannot free the queue slot of a dead run", metadata: [
                "dag.name": "\(run.name)", "run.id": "\(run.id)", "queue": "\(queue)", "error": "\(error)",
            ])
        }
        return repaired
    }
}

/// The root runs created within a recent window whose status says an agent should be alive
/// (`running`, or `not_started` for a start whose agent may never have come up), from the
/// newest-first run listing (§17.2, which confirms active entries against the run itself).
struct RecentActiveRuns: Sendable {
    let reader: any RunReader
    /// How far back the listing goes (2 days).
    let window: TimeInterval
    let pageSize = 500

    func list(now: Date) throws(StoreError) -> [RunIndexEntry] {
        let oldest = now.addingTimeInterval(-window)
        var result: [RunIndexEntry] = []
        var cursor: String?
        repeat {
            let page = try reader.runs(dagName: nil, limit: pageSize, cursor: cursor)
            for entry in page.entries {
                guard entry.createdAt >= oldest else { return result }
                if entry.status == .running || entry.status == .notStarted { result.append(entry) }
            }
            cursor = page.nextCursor
        } while cursor != nil
        return result
    }
}
