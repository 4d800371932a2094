import Foundation
import Synchronization
import TrellisCore

/// The `nextRun` of each catalog entry between requests: `GET /dags?sort=nextRun` needs it for
/// every DAG, and computing cron times for thousands of files per request adds up. A value
/// stays right while the file is unchanged and the time it names has not come (a DAG without
/// any schedule keeps `nil` until its file changes).
final class NextRunCache: Sendable {
    private struct Cached {
        var modifiedAt: Date
        var path: String
        var suspended: Bool
        var computedAt: Date
        var next: Date?
    }

    private let cache = Mutex<[String: Cached]>([:])
    private static let limit = 50_000

    func nextRun(of entry: CatalogEntry, after now: Date, zone: TimeZone) -> Date? {
        if let cached = cache.withLock({ $0[entry.fileName] }), cached.modifiedAt == entry.modifiedAt,
           cached.path == entry.path, cached.suspended == entry.suspended, cached.computedAt <= now,
           cached.next.map({ now < $0 }) ?? true {
            return cached.next
        }
        let next = NextRunPlanner.nextRun(of: entry, after: now, zone: zone)
        cache.withLock { cache in
            if cache.count >= Self.limit { cache.removeAll() }
            cache[entry.fileName] = Cached(modifiedAt: entry.modifiedAt, path: entry.path, suspended: entry.suspended,
                                           computedAt: now, next: next)
        }
        return next
    }
}
