import Foundation
import Synchronization
import TrellisCore

/// The `latestDAGRun` of each DAG in `GET /dags`, kept between requests. An entry is reused
/// while the store's newest index entry for the DAG is unchanged and, for a running run, its
/// agent still holds the run lock; so a listing reads no run file unless something happened.
final class LatestRunSummaries: Sendable {
    private struct Cached {
        var entry: RunIndexEntry
        var summary: JSONValue
    }

    private let cache = Mutex<[String: Cached]>([:])
    private static let limit = 20_000

    /// The summary of the newest run of `dagName`, `nil` when it never ran.
    func summary(of dagName: String, environment: APIEnvironment, zone: TimeZone) -> JSONValue? {
        guard let newest = try? environment.runs.latestIndexEntry(dagName: dagName) else { return nil }
        // `not_started` lasts until the agent takes the lock: never probe it then (the agent's
        // own `tryLock` would fail), let the repairer's grace period judge it.
        let cacheable = newest.status != .notStarted
        if cacheable, let cached = cache.withLock({ $0[dagName] }), cached.entry == newest,
           newest.status != .running || Self.isAlive(newest.run, environment) {
            return cached.summary
        }
        // The index says active: the run's snapshot is the truth (and repairs a dead agent).
        let snapshot = newest.status.isActive || newest.status == .notStarted ? try? environment.snapshot(of: newest.run) : nil
        let summary = RunDTO.summary(newest, snapshot: snapshot, zone: zone)
        // A run whose snapshot moved past the index line is cached on the next call instead.
        if cacheable, snapshot == nil || snapshot?.status == newest.status {
            cache.withLock { cache in
                if cache.count >= Self.limit { cache.removeAll() }
                cache[dagName] = Cached(entry: newest, summary: summary)
            }
        }
        return summary
    }

    /// Whether a live agent holds the run's lock.
    private static func isAlive(_ run: RunRef, _ environment: APIEnvironment) -> Bool {
        guard let lock = try? environment.locking.tryLock(run) else { return true }
        lock.release()
        return false
    }
}
