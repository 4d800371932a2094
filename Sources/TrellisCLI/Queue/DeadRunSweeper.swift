import Foundation
import Logging
import TrellisCore
import TrellisStore

/// The scheduler's dead-run sweep (§16.2): every 30 s, the recent root runs whose index entry
/// says `running` (or `not_started`) are checked; a run whose lock is free is repaired (marked
/// failed by ``DeadRunRepairer``) and `done` is appended to its queue file, freeing its slot.
///
/// Reads find dead runs too; the sweep is for runs nobody reads, so that their slots come back.
/// ``run()`` sweeps at once, then every `interval`, until its task is cancelled.
public struct DeadRunSweeper: Sendable {
    let reaper: DeadRunReaper
    let recent: RecentActiveRuns
    let interval: Duration
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// - Parameters:
    ///   - store: the run store (the file store: liveness is its run lock).
    ///   - queues: where `done` goes.
    ///   - interval: the pause between sweeps (30 s).
    ///   - window: how far back, by creation time, runs are checked (2 days).
    ///   - now: the clock of the repairs (`finishedAt`, the not-started grace) and of the window.
    ///   - sleep: how the pause is waited (tests inject their own).
    public init(store: any RunReader & RunWriter & RunLocking, queues: any QueueStore, interval: Duration = .seconds(30),
                window: TimeInterval = 2 * 86_400, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        reaper = DeadRunReaper(store: store, queues: queues, now: now, logger: logger)
        recent = RecentActiveRuns(reader: store, window: window)
        self.interval = interval
        self.now = now
        self.sleep = sleep
        self.logger = logger
    }

    /// Sweeps until the task is cancelled: once at once, then after every `interval`.
    public func run() async throws {
        while !Task.isCancelled {
            sweep()
            do {
                try await sleep(interval)
            } catch {
                return
            }
        }
    }

    /// One sweep: repairs every dead recent run and frees its slot; returns the repaired
    /// snapshots. Failures are logged, never thrown: the next sweep tries again.
    @discardableResult
    public func sweep() -> [RunSnapshot] {
        let entries: [RunIndexEntry]
        do {
            entries = try recent.list(now: now())
        } catch {
            logger.error("cannot list recent runs for the dead-run sweep", metadata: ["error": "\(error)"])
            return []
        }
        return entries.compactMap { reaper.reap($0.run) }
    }
}
