import Foundation
import Glibc
import Testing
@testable import TrellisCatalog
import TrellisCore
import TrellisWatcher

/// The watcher and the catalog wired together the way the composition root does it: a new
/// file appears, an edit shows, a delete disappears, each within 2 s.
@Suite struct CatalogWatchEndToEndTests {
    /// Feeds watcher events into the catalog; yields the catalog's generation after each.
    private static func feed(_ events: AsyncStream<WatchEvent>, into catalog: FileDAGCatalog,
                             _ updates: AsyncStream<Int>.Continuation) async {
        for await event in events {
            switch event {
            case .changed(let name): catalog.handleChanged(name: name)
            case .removed(let name): catalog.handleRemoved(name: name)
            case .overflow, .rescan: catalog.handleRescan()
            }
            updates.yield(catalog.generation)
        }
        updates.finish()
    }

    /// Waits, at most `timeout`, until `condition` holds, re-checking after each catalog update.
    private static func waitUntil(_ updates: AsyncStream<Int>, timeout: Duration = .seconds(2),
                                  _ condition: @escaping @Sendable () -> Bool) async -> Bool {
        if condition() { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in updates where condition() { return true }
                return condition()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first || condition()
        }
    }

    @Test func newEditedAndDeletedFilesAreReflected() async throws {
        let fixture = try CatalogFixture()
        try fixture.write("existing.yaml", CatalogFixture.dag())
        let catalog = fixture.catalog()
        let watcher = try DirectoryWatcher(directory: fixture.dags, logger: fixture.log.logger,
                                           shouldWatch: DAGFileNames.isDAGFileName)
        defer { watcher.stop() }
        // Watch first, then scan: nothing written in between is missed.
        try catalog.rescan()
        #expect(catalog.entries().map(\.fileName) == ["existing"])

        let (updates, continuation) = AsyncStream.makeStream(of: Int.self)
        let events = watcher.events()
        let feeder = Task { await Self.feed(events, into: catalog, continuation) }
        defer { feeder.cancel() }

        try fixture.write("fresh.yaml", CatalogFixture.dag(command: "echo first"))
        #expect(await Self.waitUntil(updates) { catalog.entry(fileName: "fresh") != nil })

        let temporary = fixture.dags + "/.fresh.yaml.tmp"
        try CatalogFixture.dag(command: "echo second").write(toFile: temporary, atomically: false, encoding: .utf8)
        #expect(rename(temporary, fixture.dags + "/fresh.yaml") == 0, "atomic replace")
        #expect(await Self.waitUntil(updates) { catalog.entry(fileName: "fresh")?.text.contains("echo second") == true })

        try fixture.write("existing.yaml", CatalogFixture.dag(name: "renamed"))
        #expect(await Self.waitUntil(updates) { catalog.entry(dagName: "renamed")?.fileName == "existing" })

        try fixture.remove("fresh.yaml")
        #expect(await Self.waitUntil(updates) { catalog.entry(fileName: "fresh") == nil })
        #expect(catalog.entries().map(\.fileName) == ["existing"])
    }
}
