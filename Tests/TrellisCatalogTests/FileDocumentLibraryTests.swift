import Foundation
import Glibc
import Synchronization
import Testing
@testable import TrellisCatalog
import TrellisCore

/// The documents of docs_dir (API §5): recursive `*.md`, ids, front matter, caching by file
/// identity, and nothing read from outside the directory.
@Suite struct FileDocumentLibraryTests {
    /// A docs directory inside a catalog fixture, and a library over it counting reads.
    struct Docs {
        let fixture: CatalogFixture
        let directory: String
        let reads = IDCounter()

        init() throws {
            fixture = try CatalogFixture()
            directory = fixture.dags + "/docs"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }

        func write(_ relative: String, _ text: String) throws {
            let path = directory + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }

        func library() -> FileDocumentLibrary {
            let reads = reads
            return FileDocumentLibrary(directory: directory, logger: fixture.log.logger, maxFileBytes: 1024,
                                       onRead: { id in reads.count(id) })
        }
    }

    @Test func markdownFilesAreFoundRecursivelyWithIdsTitlesAndDescriptions() throws {
        let docs = try Docs()
        try docs.write("index.md", "# Index\n")
        try docs.write("runbooks/deploy-guide.md", "---\ntitle: Deploying\ndescription: Ship it\n---\nsteps\n")
        try docs.write("runbooks/deep/er/note.md", "note\n")
        try docs.write("runbooks/readme.txt", "not markdown\n")
        try docs.write(".hidden.md", "hidden\n")
        try docs.write(".git/x.md", "hidden dir\n")
        try docs.write("bad:name.md", "cannot be addressed\n")
        let documents = docs.library().documents()
        #expect(documents.map(\.id) == ["index", "runbooks/deep/er/note", "runbooks/deploy-guide"])
        #expect(documents.map(\.title) == ["index", "note", "Deploying"])
        #expect(documents.map(\.description) == ["", "", "Ship it"])
    }

    @Test func unchangedFilesAreNotReadAgainAndChangesAreSeenAtOnce() throws {
        let docs = try Docs()
        try docs.write("a.md", "alpha\n")
        try docs.write("b.md", "beta\n")
        let library = docs.library()
        #expect(library.documents().count == 2)
        #expect(docs.reads.total == 2)
        #expect(library.documents().count == 2)
        #expect(docs.reads.total == 2, "unchanged files are served from the cache")
        try docs.write("b.md", "beta, longer now\n")
        try docs.write("c.md", "gamma\n")
        let documents = library.documents()
        #expect(documents.map(\.id) == ["a", "b", "c"])
        #expect(documents[1].text.lines == ["beta, longer now"])
        #expect(docs.reads.counts == ["a": 1, "b": 2, "c": 1])
        try FileManager.default.removeItem(atPath: docs.directory + "/a.md")
        #expect(library.documents().map(\.id) == ["b", "c"])
    }

    @Test func symbolicLinksCountOnlyWhenTheyStayInside() throws {
        let docs = try Docs()
        try docs.write("real/target.md", "inside\n")
        let outside = docs.fixture.root + "/secret.md"
        try "top secret\n".write(toFile: outside, atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: docs.fixture.root + "/outdir", withIntermediateDirectories: true)
        try "outside dir\n".write(toFile: docs.fixture.root + "/outdir/x.md", atomically: false, encoding: .utf8)
        #expect(symlink(outside, docs.directory + "/escape.md") == 0)
        #expect(symlink("../../secret.md", docs.directory + "/relative-escape.md") == 0)
        #expect(symlink(docs.fixture.root + "/outdir", docs.directory + "/linked-dir") == 0)
        #expect(symlink("real/target.md", docs.directory + "/alias.md") == 0)
        #expect(symlink("missing.md", docs.directory + "/dangling.md") == 0)
        let documents = docs.library().documents()
        #expect(documents.map(\.id) == ["alias", "real/target"])
        #expect(documents.allSatisfy { $0.text.lines == ["inside"] })
    }

    @Test func aMissingDirectoryHasNoDocumentsAndTooLargeFilesAreSkipped() throws {
        let docs = try Docs()
        #expect(FileDocumentLibrary(directory: docs.fixture.root + "/nope", logger: docs.fixture.log.logger).documents().isEmpty)
        try docs.write("big.md", String(repeating: "x", count: 2048))
        try docs.write("small.md", "ok\n")
        #expect(docs.library().documents().map(\.id) == ["small"])
        #expect(docs.fixture.log.messages.contains { $0.contains("too large") })
    }

    @Test func theDAGCatalogIgnoresTheDocsFolder() throws {
        let docs = try Docs()
        try docs.write("runbook.md", "# Runbook\n")
        try docs.write("looks-like.yaml", CatalogFixture.dag())
        try docs.fixture.write("real.yaml", CatalogFixture.dag())
        let catalog = docs.fixture.catalog()
        try catalog.rescan()
        #expect(catalog.entries().map(\.fileName) == ["real"])
        #expect(!DAGFileNames.isDAGFileName("docs"))
        #expect(!DAGFileNames.isDAGFileName("runbook.md"))
    }
}

/// Counts reads per document id.
final class IDCounter: Sendable {
    private let state = Mutex<[String: Int]>([:])

    func count(_ id: String) { state.withLock { $0[id, default: 0] += 1 } }

    var counts: [String: Int] { state.withLock { $0 } }
    var total: Int { counts.values.reduce(0, +) }
}
