import Foundation
import Testing
@testable import TrellisCatalog
import TrellisCore

/// The suspend flag: `<suspendDirectory>/<file-name>.suspend` (DAG-FORMAT §15.3, §17).
@Suite struct SuspendTests {
    @Test func suspendingCreatesTheFlagAndResumingRemovesIt() throws {
        let fixture = try CatalogFixture()
        try fixture.write("etl.yaml", CatalogFixture.dag(name: "nightly"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        let generation = catalog.generation
        #expect(!catalog.isSuspended(fileName: "etl"))

        try catalog.setSuspended(fileName: "etl", true)
        #expect(FileManager.default.fileExists(atPath: fixture.suspend + "/etl.suspend"))
        #expect(catalog.isSuspended(fileName: "etl"))
        #expect(catalog.entry(fileName: "etl")?.suspended == true)
        #expect(catalog.entry(dagName: "nightly")?.suspended == true)
        #expect(catalog.generation == generation + 1)

        try catalog.setSuspended(fileName: "etl", true)
        #expect(catalog.generation == generation + 1, "no change, no new generation")

        try catalog.setSuspended(fileName: "etl", false)
        #expect(!FileManager.default.fileExists(atPath: fixture.suspend + "/etl.suspend"))
        #expect(!catalog.isSuspended(fileName: "etl"))
        #expect(catalog.entry(fileName: "etl")?.suspended == false)
        #expect(catalog.generation == generation + 2)
        try catalog.setSuspended(fileName: "etl", false)
    }

    @Test func flagsWrittenByAnotherProcessAreSeenOnRescan() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.dag())
        try FileManager.default.createDirectory(atPath: fixture.suspend, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: fixture.suspend + "/a.suspend", contents: nil))
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entry(fileName: "a")?.suspended == true)

        try FileManager.default.removeItem(atPath: fixture.suspend + "/a.suspend")
        #expect(!catalog.isSuspended(fileName: "a"))
        try catalog.rescan()
        #expect(catalog.entry(fileName: "a")?.suspended == false)
    }

    @Test func aFileNameThatIsNotValidIsRejected() throws {
        let fixture = try CatalogFixture()
        let catalog = fixture.catalog()
        for name in ["../escape", "", "a/b", ".."] {
            let error = #expect(throws: CatalogError.self) { try catalog.setSuspended(fileName: name, true) }
            #expect(error?.code == .invalidFileName)
            #expect(!catalog.isSuspended(fileName: name))
        }
    }

    @Test func anUnwritableSuspendDirectoryIsAnErrorNamingIt() throws {
        let fixture = try CatalogFixture()
        try fixture.write("blocker", "a file where a directory should be")
        let catalog = FileDAGCatalog(dagsDirectory: fixture.dags, suspendDirectory: fixture.dags + "/blocker/suspend",
                                     logger: fixture.log.logger)
        let error = #expect(throws: CatalogError.self) { try catalog.setSuspended(fileName: "a", true) }
        #expect(error?.code == .cannotWriteSuspendFlag)
        #expect(error?.description.contains(fixture.dags + "/blocker/suspend") == true)
    }
}
