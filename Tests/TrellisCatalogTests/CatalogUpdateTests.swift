import Foundation
import Testing
@testable import TrellisCatalog
import TrellisCore

/// Rescans that skip unchanged files, single-file reloads and removals, the generation, and
/// `call:` warnings that follow the directory.
@Suite struct CatalogUpdateTests {
    @Test func aRescanOfUnchangedFilesReadsNone() throws {
        let fixture = try CatalogFixture()
        for index in 0..<50 { try fixture.write("dag-\(index).yaml", CatalogFixture.dag()) }
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(fixture.reads.total == 50)
        let generation = catalog.generation

        fixture.reads.reset()
        try catalog.rescan()
        #expect(fixture.reads.total == 0)
        #expect(catalog.generation == generation, "nothing changed")

        try fixture.write("dag-7.yaml", CatalogFixture.dag(command: "echo a longer command"))
        try catalog.rescan()
        #expect(fixture.reads.counts == ["dag-7.yaml": 1])
        #expect(catalog.generation == generation + 1)
        #expect(catalog.entry(fileName: "dag-7")?.text.contains("a longer command") == true)
    }

    @Test func anEntrySurvivesWhenItsUnchangedFileCannotBeReadAnyMore() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.dag())
        let catalog = fixture.catalog()
        try catalog.rescan()
        fixture.reads.setFailing("a.yaml", true)
        try catalog.rescan()
        #expect(catalog.entry(fileName: "a")?.isValid == true)
    }

    @Test func reloadReadsTheFileEvenIfItLooksUnchanged() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.dag(command: "echo one"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        let before = catalog.generation
        // Same size, and possibly the same coarse mtime: only the event tells.
        try fixture.write("a.yaml", CatalogFixture.dag(command: "echo two"))
        catalog.reload(fileName: "a.yaml")
        #expect(catalog.entry(fileName: "a")?.text.contains("echo two") == true)
        #expect(catalog.generation == before + 1)
        #expect(fixture.reads.counts["a.yaml"] == 2)
    }

    @Test func reloadAddsANewFileAndIgnoresNonDAGNames() throws {
        let fixture = try CatalogFixture()
        let catalog = fixture.catalog()
        try catalog.rescan()
        try fixture.write("new.yml", CatalogFixture.dag())
        try fixture.write("notes.txt", "hello")
        catalog.handleChanged(name: "new.yml")
        catalog.handleChanged(name: "notes.txt")
        catalog.handleChanged(name: "../escape.yaml")
        #expect(catalog.entries().map(\.fileName) == ["new"])
        #expect(catalog.generation == 1)
    }

    @Test func removeDropsTheEntryOnlyWhenTheFileIsGone() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.dag())
        try fixture.write("b.yaml", CatalogFixture.dag())
        let catalog = fixture.catalog()
        try catalog.rescan()
        let generation = catalog.generation

        catalog.remove(fileName: "a.yaml")
        #expect(catalog.entries().map(\.fileName) == ["a", "b"], "the event is a hint; a.yaml still exists")
        #expect(catalog.generation == generation)

        try fixture.remove("a.yaml")
        catalog.remove(fileName: "a.yaml")
        #expect(catalog.entries().map(\.fileName) == ["b"])
        #expect(catalog.entry(fileName: "a") == nil)
        #expect(catalog.generation == generation + 1)
    }

    @Test func callWarningsFollowTheDirectoryWithoutRereading() throws {
        let fixture = try CatalogFixture()
        try fixture.write("parent.yaml", CatalogFixture.caller(of: "child"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entry(fileName: "parent")?.load.warnings.count == 1)

        fixture.reads.reset()
        try fixture.write("child.yaml", CatalogFixture.dag())
        catalog.handleChanged(name: "child.yaml")
        #expect(catalog.entry(fileName: "parent")?.load.warnings == [])
        #expect(fixture.reads.counts == ["child.yaml": 1])

        try fixture.remove("child.yaml")
        catalog.handleRemoved(name: "child.yaml")
        #expect(catalog.entry(fileName: "parent")?.load.warnings.count == 1)
    }

    @Test func aDeclaredNameCountsAsKnownInTheSameScan() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.caller(of: "renamed"))
        try fixture.write("z.yaml", CatalogFixture.dag(name: "renamed"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entry(fileName: "a")?.load.warnings == [])
    }
}
