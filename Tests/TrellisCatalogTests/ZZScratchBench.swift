import Foundation
import Testing
@testable import TrellisCatalog
import TrellisWatcher

@Suite struct ZZScratchBench {
    @Test func rescanOf5000() throws {
        let fixture = try CatalogFixture()
        for index in 0..<5000 { try fixture.write("dag-\(index).yaml", CatalogFixture.dag(name: index % 2 == 0 ? nil : "n\(index)")) }
        let catalog = fixture.catalog()
        let clock = ContinuousClock()
        var t = clock.now
        try catalog.rescan()
        print("BENCH first scan", clock.now - t, fixture.reads.total)
        fixture.reads.reset()
        t = clock.now
        try catalog.rescan()
        print("BENCH unchanged rescan", clock.now - t, fixture.reads.total, catalog.generation)
        t = clock.now
        for _ in 0..<1000 { _ = catalog.entries() }
        print("BENCH 1000 entries()", clock.now - t)
        t = clock.now
        try fixture.write("dag-3.yaml", CatalogFixture.dag(command: "echo changed"))
        catalog.reload(fileName: "dag-3.yaml")
        print("BENCH one reload", clock.now - t)
    }

    @Test func burstPath() async throws {
        let fixture = try CatalogFixture()
        let watcher = try DirectoryWatcher(directory: fixture.dags, logger: fixture.log.logger)
        defer { watcher.stop() }
        let stream = watcher.events()
        for index in 0..<2000 { try fixture.write("f\(index).yaml", "x") }
        var names = Set<String>()
        var overflow = false
        for await event in stream {
            if case .changed(let n) = event { names.insert(n) }
            if event == .overflow { overflow = true; break }
            if names.count == 2000 { break }
        }
        print("BENCH burst overflow", overflow, names.count)
    }
}

@Suite struct ZZScratchParts {
    @Test func parts() throws {
        let fixture = try CatalogFixture()
        for index in 0..<5000 { try fixture.write("dag-\(index).yaml", CatalogFixture.dag(name: index % 2 == 0 ? nil : "n\(index)")) }
        let catalog = fixture.catalog()
        try catalog.rescan()
        let records = catalog.store.withLock { $0.records }
        let copy = records
        let clock = ContinuousClock()
        var t = clock.now
        _ = FileDAGCatalog.knownNames(records)
        print("BENCH known", clock.now - t)
        t = clock.now
        let known = FileDAGCatalog.knownNames(records)
        for (_, r) in records where r.needsReload(knownNames: known) { print("x") }
        print("BENCH needsReload", clock.now - t)
        t = clock.now
        print(FileDAGCatalog.differ(records, copy))
        print("BENCH compare", clock.now - t)
        t = clock.now
        _ = CatalogSnapshot(records: records, suspended: [], generation: 1)
        print("BENCH snapshot", clock.now - t)
        t = clock.now
        for i in 0..<5000 { _ = DAGDirectory.identity(ofFile: fixture.dags + "/dag-\(i).yaml") }
        print("BENCH 5000 stats", clock.now - t)
        t = clock.now
        _ = try DAGDirectory.list(fixture.dags)
        print("BENCH list", clock.now - t)
    }
}
