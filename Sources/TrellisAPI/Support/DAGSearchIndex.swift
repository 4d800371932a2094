import Synchronization
import TrellisCore

/// The catalog's DAG files prepared for search (API §5), kept between requests: each file's
/// ``SearchableText`` is built once per text and reused while the catalog's generation is
/// unchanged, so a search over thousands of files reads no file and lower-cases nothing.
final class DAGSearchIndex: Sendable {
    /// One catalog entry and its searchable text.
    struct Item: Sendable {
        var entry: CatalogEntry
        var text: SearchableText
    }

    private struct State {
        var generation = -1
        var items: [Item] = []
        var byFileName: [String: Item] = [:]
        /// How many texts were prepared so far (tests check that unchanged files are reused).
        var prepared = 0
    }

    private let state = Mutex(State())

    /// Every entry of `catalog` with its text, sorted by file name.
    func items(of catalog: any DAGCatalog) -> [Item] {
        // The generation is read before the entries: a change in between only costs a rebuild.
        let generation = catalog.generation
        if let cached = state.withLock({ $0.generation == generation ? $0.items : nil }) { return cached }
        let previous = state.withLock { $0.byFileName }
        var items: [Item] = []
        var byFileName: [String: Item] = [:]
        var prepared = 0
        let entries = catalog.entries()
        items.reserveCapacity(entries.count)
        byFileName.reserveCapacity(entries.count)
        for entry in entries {
            let text: SearchableText
            if let kept = previous[entry.fileName], kept.entry.text == entry.text {
                text = kept.text
            } else {
                text = SearchableText(entry.text)
                prepared += 1
            }
            let item = Item(entry: entry, text: text)
            items.append(item)
            byFileName[entry.fileName] = item
        }
        state.withLock { state in
            state.generation = generation
            state.items = items
            state.byFileName = byFileName
            state.prepared += prepared
        }
        return items
    }

    /// How many file texts were prepared (lower-cased) since the index was made.
    var preparedCount: Int { state.withLock { $0.prepared } }

    /// The item of one file stem.
    func item(fileName: String, of catalog: any DAGCatalog) -> Item? {
        let items = items(of: catalog)
        return state.withLock { $0.byFileName[fileName] } ?? items.first { $0.entry.fileName == fileName }
    }
}
