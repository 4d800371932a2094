import Foundation
import Logging
import TrellisCore

/// Finds and repairs dead runs (§16.2): a run whose latest snapshot says `running` (or that has
/// stayed `not_started` for over 10 s) while its lock is free.
///
/// The repairer takes the free lock, which proves the run agent is gone and excludes other
/// repairers, kills the stray process groups of running nodes (only those in the agent's
/// session that started with the run, and none while the agent may be alive:
/// ``StrayProcessKiller``), appends the `failed` snapshot of ``DeadRunRepair/repaired(_:now:)`` synced and
/// releases the lock. Appending `done` to the queue file is the caller's part.
public struct DeadRunRepairer: Sendable {
    /// How long a run may stay `not_started` before a free lock means its agent never started.
    public static let startGrace: TimeInterval = 10

    private let store: any RunReader & RunWriter & RunLocking
    private let now: @Sendable () -> Date
    private let killer: StrayProcessKiller
    private let logger: Logger

    /// - Parameters:
    ///   - store: the run store (the file store in production).
    ///   - now: the clock, for the grace period and the `finishedAt` of the repair.
    ///   - procDirectory: the process table (and `stat` with the boot time) to check sessions
    ///     and start times against; when it cannot be read, nothing is killed.
    ///   - logger: where repairs are reported; by default the file store's logger (none for
    ///     other stores).
    public init(store: any RunReader & RunWriter & RunLocking, now: @escaping @Sendable () -> Date = { Date() },
                procDirectory: String = "/proc", logger: Logger? = nil) {
        self.store = store
        self.now = now
        killer = StrayProcessKiller(procDirectory: procDirectory)
        self.logger = logger ?? (store as? FileRunStore)?.logger
            ?? Logger(label: "trellis.store.repair") { _ in SwiftLogNoOpLogHandler() }
    }

    /// Repairs `run` if it is dead and returns the appended snapshot; `nil` when the run is
    /// alive (its lock is held), finished, queued, or unknown.
    public func repairIfDead(_ run: RunRef) throws(StoreError) -> RunSnapshot? {
        guard let seen = try store.latestSnapshot(of: run), isCandidate(seen) else { return nil }
        guard let lock = try store.tryLock(run) else { return nil }
        defer { lock.release() }
        // Re-read under the lock: the agent may have finished between the read and the lock.
        guard let current = try store.latestSnapshot(of: run), isCandidate(current) else { return nil }
        let groups = DeadRunRepair.strayProcessGroups(current)
        let agent = current.sid.map {
            StrayProcessKiller.DeadAgent(pid: current.pid, session: $0, runStart: current.startedAt ?? current.createdAt)
        }
        let killed = killer.kill(groups: groups, agent: agent)
        let repaired = DeadRunRepair.repaired(current, now: now())
        try store.append(repaired, durability: .synced)
        logger.warning("marked a dead run failed", metadata: [
            "dag.name": "\(run.name)", "run.id": "\(run.id)", "error": "\(repaired.error ?? "")",
            "killed.groups": "\(killed)",
        ])
        return repaired
    }

    /// Whether the snapshot claims an agent that a free lock would prove gone.
    private func isCandidate(_ snapshot: RunSnapshot) -> Bool {
        DeadRunRepair.claimsRunning(snapshot)
            || (snapshot.status == .notStarted && now().timeIntervalSince(snapshot.createdAt) > Self.startGrace)
    }
}

extension DeadRunRepairer: RunRepairing {}
