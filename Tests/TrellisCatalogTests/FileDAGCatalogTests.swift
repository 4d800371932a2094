import Foundation
import Testing
@testable import TrellisCatalog
import TrellisCore

/// Loading a DAGs directory: valid and invalid files, precedence, names, what is not a DAG.
@Suite struct FileDAGCatalogTests {
    @Test func validAndInvalidFilesAreListedSortedWithTheirErrors() throws {
        let fixture = try CatalogFixture()
        try fixture.write("b.yaml", CatalogFixture.dag())
        try fixture.write("a.yaml", "steps: [unclosed\n")
        try fixture.write("c.yml", "steps:\n  - name: x\n    retry_policy: {limit: -3}\n    command: true\n")
        let catalog = fixture.catalog()
        try catalog.rescan()
        let entries = catalog.entries()
        #expect(entries.map(\.fileName) == ["a", "b", "c"])
        #expect(entries.map(\.isValid) == [false, true, false])
        #expect(entries[0].load.dag == nil)
        #expect(!entries[0].errors.isEmpty)
        #expect(entries[0].text == "steps: [unclosed\n", "the text is kept byte for byte")
        #expect(entries[2].errors.contains { $0.path.contains("retry_policy") })
        #expect(entries[1].path == fixture.dags + "/b.yaml")
        #expect(catalog.entry(fileName: "b")?.dagName == "b")
        #expect(catalog.entry(dagName: "b")?.fileName == "b")
        #expect(catalog.entry(fileName: "missing") == nil)
    }

    @Test func dotfilesTemporariesAndTheDocsFolderAreNotDAGs() throws {
        let fixture = try CatalogFixture()
        try FileManager.default.createDirectory(atPath: fixture.dags + "/docs", withIntermediateDirectories: false)
        try CatalogFixture.dag().write(toFile: fixture.dags + "/docs/inside.yaml", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: fixture.dags + "/folder.yaml", withIntermediateDirectories: false)
        for name in [".hidden.yaml", "a.yaml~", ".a.yaml.swp", "a.yaml.swp", "4913", "notes.md", "x.yaml.bak", ".yaml"] {
            try fixture.write(name, CatalogFixture.dag())
        }
        try fixture.write("a.yaml", CatalogFixture.dag())
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entries().map(\.fileName) == ["a"])
        #expect(fixture.reads.counts == ["a.yaml": 1])
    }

    @Test func yamlWinsOverYmlWithAWarning() throws {
        let fixture = try CatalogFixture()
        try fixture.write("x.yaml", CatalogFixture.dag(command: "echo yaml"))
        try fixture.write("x.yml", CatalogFixture.dag(command: "echo yml"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entries().map(\.path) == [fixture.dags + "/x.yaml"])
        #expect(fixture.reads.counts["x.yml"] == nil)
        let warnings = fixture.log.messages.filter { $0.hasPrefix("warning") && $0.contains("x.yml") }
        #expect(warnings.count == 1)
        try catalog.rescan()
        #expect(fixture.log.messages.filter { $0.hasPrefix("warning") && $0.contains("x.yml") }.count == 1, "warned once")

        try fixture.remove("x.yaml")
        catalog.handleRemoved(name: "x.yaml")
        let entry = try #require(catalog.entry(fileName: "x"))
        #expect(entry.path == fixture.dags + "/x.yml")
        #expect(entry.text.contains("echo yml"))
    }

    @Test func aFolderNamedLikeAYamlFileDoesNotHideTheYmlFile() throws {
        let fixture = try CatalogFixture()
        try FileManager.default.createDirectory(atPath: fixture.dags + "/x.yaml", withIntermediateDirectories: false)
        try fixture.write("x.yml", CatalogFixture.dag())
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entries().map(\.path) == [fixture.dags + "/x.yml"])
        #expect(!fixture.log.messages.contains { $0.hasPrefix("warning") })
    }

    @Test func theFileWhoseStemIsTheNameKeepsIt() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.dag(name: "b"))
        try fixture.write("b.yaml", CatalogFixture.dag())
        try fixture.write("m.yaml", CatalogFixture.dag())
        try fixture.write("z.yaml", CatalogFixture.dag(name: "m"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        let a = try #require(catalog.entry(fileName: "a"))
        #expect(a.catalogErrors.map(\.message) == ["DAG name \"b\" is already used by b.yaml"])
        #expect(!a.isValid)
        #expect(catalog.entry(fileName: "b")?.catalogErrors == [])
        #expect(catalog.entry(dagName: "b")?.fileName == "b")
        #expect(catalog.entry(fileName: "z")?.catalogErrors.map(\.message) == ["DAG name \"m\" is already used by m.yaml"])
        #expect(catalog.entry(dagName: "m")?.fileName == "m")
    }

    @Test func otherwiseTheLexicographicallyFirstFileKeepsIt() throws {
        let fixture = try CatalogFixture()
        try fixture.write("c.yaml", CatalogFixture.dag(name: "shared"))
        try fixture.write("a.yml", CatalogFixture.dag(name: "shared"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entry(dagName: "shared")?.fileName == "a")
        #expect(catalog.entry(fileName: "a")?.catalogErrors == [])
        #expect(catalog.entry(fileName: "c")?.errors.map(\.description)
            == ["c.yaml: error: name: DAG name \"shared\" is already used by a.yml"])
    }

    @Test func clashesAreRecomputedOnEveryChange() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.dag(name: "b"))
        let catalog = fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entry(fileName: "a")?.isValid == true)

        try fixture.write("b.yaml", CatalogFixture.dag())
        catalog.handleChanged(name: "b.yaml")
        #expect(catalog.entry(fileName: "a")?.catalogErrors.count == 1)
        #expect(catalog.entry(dagName: "b")?.fileName == "b")

        try fixture.remove("b.yaml")
        catalog.handleRemoved(name: "b.yaml")
        #expect(catalog.entry(fileName: "a")?.isValid == true)
        #expect(catalog.entry(dagName: "b")?.fileName == "a")
    }

    @Test func aMissingDirectoryIsAnEmptyCatalog() throws {
        let fixture = try CatalogFixture()
        let catalog = FileDAGCatalog(dagsDirectory: fixture.root + "/nowhere", suspendDirectory: fixture.suspend,
                                     logger: fixture.log.logger)
        try catalog.rescan()
        #expect(catalog.entries().isEmpty)
    }

    @Test func anUnreadableFileIsListedWithAnErrorNamingItsPath() throws {
        let fixture = try CatalogFixture()
        try fixture.write("a.yaml", CatalogFixture.dag())
        fixture.reads.setFailing("a.yaml", true)
        let catalog = fixture.catalog()
        try catalog.rescan()
        let entry = try #require(catalog.entry(fileName: "a"))
        #expect(!entry.isValid)
        #expect(entry.load.dag == nil)
        #expect(entry.errors.map(\.message) == ["cannot read \(fixture.dags)/a.yaml: Permission denied"])

        // Retried on the next rescan even though the file did not change.
        fixture.reads.setFailing("a.yaml", false)
        try catalog.rescan()
        #expect(catalog.entry(fileName: "a")?.isValid == true)
    }
}
