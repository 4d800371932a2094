import Foundation
import Synchronization
import TrellisCore

/// The catalog as `GET /dags` walks it: every entry with its lower-cased names and labels,
/// sorted by DAG name, rebuilt only when the catalog's generation moves. A listing then filters
/// and pages this array and renders only the page, instead of copying, lower-casing and sorting
/// thousands of entries per request.
final class CatalogListIndex: Sendable {
    struct Item: Sendable {
        let entry: CatalogEntry
        /// `dagName`, lower-cased: the sort key and the `name` filter's first field.
        let name: String
        let fileName: String
        let labels: [Label]
    }

    private let cache = Mutex<(generation: Int, items: [Item])?>(nil)
    /// Each item's next run (same order as ``items(of:)``) for one generation, valid until the
    /// earliest of them comes (a DAG without schedule keeps `nil`).
    private let nextRuns = Mutex<(generation: Int, validUntil: Date, dates: [Date?])?>(nil)

    /// The entries sorted by lower-cased DAG name (then file name, for a stable order).
    func items(of catalog: any DAGCatalog) -> [Item] {
        // Read the generation first: a change during the read only makes the next call rebuild.
        let generation = catalog.generation
        if let cached = cache.withLock({ $0 }), cached.generation == generation { return cached.items }
        let items = catalog.entries().map { entry in
            Item(entry: entry, name: entry.dagName.lowercased(), fileName: entry.fileName.lowercased(),
                 labels: entry.load.dag?.labels ?? [])
        }.sorted { ($0.name, $0.fileName) < ($1.name, $1.fileName) }
        cache.withLock { $0 = (generation, items) }
        return items
    }

    /// The next run of every item of ``items(of:)`` (by position), computed once per catalog
    /// generation and reused until the earliest of them is due.
    func nextRuns(of catalog: any DAGCatalog, items: [Item], now: Date, cache: NextRunCache, zone: TimeZone) -> [Date?] {
        let generation = catalog.generation
        if let cached = nextRuns.withLock({ $0 }), cached.generation == generation, cached.dates.count == items.count,
           now < cached.validUntil {
            return cached.dates
        }
        let dates = items.map { cache.nextRun(of: $0.entry, after: now, zone: zone) }
        let validUntil = dates.compactMap { $0 }.min() ?? .distantFuture
        nextRuns.withLock { $0 = (generation, validUntil, dates) }
        return dates
    }
}
