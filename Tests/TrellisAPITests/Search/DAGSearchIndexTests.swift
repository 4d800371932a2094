import Foundation
import Synchronization
import Testing
@testable import TrellisAPI
import TrellisCore

/// The API's search index over the catalog: texts are prepared once per file version.
@Suite("DAG search index")
struct DAGSearchIndexTests {
    /// A catalog whose entries and generation the test sets.
    final class FakeCatalog: DAGCatalog {
        private let state = Mutex<(entries: [CatalogEntry], generation: Int)>(([], 0))

        func set(_ texts: [String: String]) {
            let entries = texts.keys.sorted().map { name in
                CatalogEntry(fileName: name, path: "/dags/\(name).yaml", text: texts[name]!,
                             load: DAGLoader.load(text: texts[name]!, fileName: name + ".yaml"), modifiedAt: Date())
            }
            state.withLock { $0 = (entries, $0.generation + 1) }
        }

        func entries() -> [CatalogEntry] { state.withLock { $0.entries } }
        func entry(fileName: String) -> CatalogEntry? { entries().first { $0.fileName == fileName } }
        func entry(dagName name: String) -> CatalogEntry? { entries().first { $0.dagName == name } }
        var generation: Int { state.withLock { $0.generation } }
    }

    @Test("unchanged files are not prepared again; changed and new ones are; removed ones leave")
    func reuse() throws {
        let catalog = FakeCatalog()
        let index = DAGSearchIndex()
        let a = "steps:\n  - echo alpha\n", b = "steps:\n  - echo beta\n"
        catalog.set(["a": a, "b": b])
        #expect(index.items(of: catalog).map(\.entry.fileName) == ["a", "b"])
        #expect(index.preparedCount == 2)
        _ = index.items(of: catalog)
        #expect(index.preparedCount == 2, "same generation: nothing prepared")
        catalog.set(["a": a, "b": "steps:\n  - echo BETA two\n", "c": "steps:\n  - echo gamma\n"])
        let items = index.items(of: catalog)
        #expect(index.preparedCount == 4, "b changed and c is new; a is reused")
        let query = try #require(SearchQuery("beta two"))
        #expect(items[1].text.matches(query, limit: 5).matches.map(\.lineNumber) == [2])
        catalog.set(["c": "steps:\n  - echo gamma\n"])
        #expect(index.items(of: catalog).map(\.entry.fileName) == ["c"])
        #expect(index.item(fileName: "a", of: catalog) == nil)
        #expect(index.item(fileName: "c", of: catalog)?.entry.fileName == "c")
        #expect(index.preparedCount == 4)
    }
}
