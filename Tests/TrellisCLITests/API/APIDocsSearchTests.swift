import Foundation
import Testing
import TrellisCore

/// Docs search over real HTTP (API §5.4, §5.5): Markdown files under docs_dir, front matter,
/// pages, doc path validation, and nothing served from outside docs_dir.
@Suite("REST API: docs search (§5.4, §5.5)")
struct APIDocsSearchTests {
    private func json(_ reply: ServerHarness.Reply, _ status: Int = 200, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        return reply.json ?? .null
    }

    @Test("feed: ids, titles from front matter or the last segment, descriptions, pages walked once")
    func feed() async throws {
        let server = try ServerHarness()
        defer { server.stop() }
        let dir = server.home.dir
        try dir.write("dags/docs/runbooks/deploy-guide.md", "---\ntitle: Deploy guide\ndescription: Shipping a release\n---\n# Deploy\nRestart the service.\n")
        try dir.write("dags/docs/runbooks/restart.md", "Restart it.\nThen RESTART again.\n")
        try dir.write("dags/docs/about.md", "Nothing to see.\n")
        for index in 0..<7 { try dir.write("dags/docs/many/n\(index).md", "restart \(index)\n") }
        try dir.write("dags/docs/notes.txt", "restart (not markdown)\n")

        let body = json(try await server.request("GET", "/api/v1/search/docs?q=restart&limit=2"))
        let results = try #require(body["results"]?.arrayValue)
        #expect(results.map { $0["id"]?.stringValue ?? "" } == ["many/n0", "many/n1"])
        #expect(results[0] == ["id": "many/n0", "title": "n0", "description": "", "hasMoreMatches": false,
                               "matches": [["line": "restart 0", "lineNumber": 1, "startLine": 1]]])
        #expect(body["hasMore"] == true)

        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = json(try await server.request("GET", "/api/v1/search/docs?q=RESTART&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")))
            seen += page["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            cursor = page["nextCursor"]?.stringValue
            #expect((page["hasMore"] == true) == (cursor != nil))
            pages += 1
        } while cursor != nil && pages < 20
        #expect(seen == (0..<7).map { "many/n\($0)" } + ["runbooks/deploy-guide", "runbooks/restart"])
        #expect(pages == 3)

        let guide = json(try await server.request("GET", "/api/v1/search/docs?q=shipping"))
        #expect(guide["results"]?[0]?["title"] == "Deploy guide")
        #expect(guide["results"]?[0]?["description"] == "Shipping a release")
        #expect(guide["results"]?[0]?["matches"]?[0]?["lineNumber"] == 3)

        let restart = json(try await server.request("GET", "/api/v1/search/docs?q=restart%20it"))
        let item = try #require(restart["results"]?[0])
        #expect(item["id"] == "runbooks/restart")
        #expect(item["title"] == "restart")
        #expect(item["hasMoreMatches"] == false)
        let twice = json(try await server.request("GET", "/api/v1/search/docs?q=restart&limit=50"))
        let restartItem = try #require(twice["results"]?.arrayValue?.first { $0["id"] == "runbooks/restart" })
        #expect(restartItem["hasMoreMatches"] == true)
        let more = try #require(restartItem["nextMatchesCursor"]?.stringValue)
        let page = json(try await server.request("GET", "/api/v1/search/docs/matches?path=runbooks%2Frestart&q=restart&cursor=\(more)"))
        #expect(page == ["matches": [["line": "Restart it.\nThen RESTART again.", "lineNumber": 2, "startLine": 1]], "hasMore": false])
    }

    @Test("matches: pages, 404 for unknown docs, a doc added on disk is found by the next search")
    func matches() async throws {
        let server = try ServerHarness()
        defer { server.stop() }
        let dir = server.home.dir
        try dir.write("dags/docs/long.md", (1...12).map { "line \($0) token" }.joined(separator: "\n") + "\n")
        var lines: [Int] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = json(try await server.request("GET", "/api/v1/search/docs/matches?path=long&q=TOKEN" + (cursor.map { "&cursor=\($0)" } ?? "")))
            lines += page["matches"]?.arrayValue?.compactMap { $0["lineNumber"]?.intValue } ?? []
            cursor = page["nextCursor"]?.stringValue
            #expect((page["hasMore"] == true) == (cursor != nil))
            pages += 1
        } while cursor != nil && pages < 20
        #expect(lines == Array(1...12))
        #expect(pages == 3)
        let missing = try await server.request("GET", "/api/v1/search/docs/matches?path=nope&q=x")
        #expect(missing.status == 404)
        #expect(missing.json?["code"] == "not_found")
        #expect(missing.json?["message"] == "Document not found")
        #expect(json(try await server.request("GET", "/api/v1/search/docs/matches?path=long&q=absent")) == ["matches": [], "hasMore": false])

        #expect(json(try await server.request("GET", "/api/v1/search/docs?q=fresh"))["results"] == [])
        try dir.write("dags/docs/new/fresh.md", "---\ntitle: Fresh\n---\nfresh content\n")
        let found = json(try await server.request("GET", "/api/v1/search/docs?q=fresh%20content"))
        #expect(found["results"]?[0]?["id"] == "new/fresh")
        #expect(found["results"]?[0]?["title"] == "Fresh")
        #expect(json(try await server.request("GET", "/api/v1/search/docs/matches?path=new/fresh&q=fresh"))["matches"]?.arrayValue?.count == 2)
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("dags/docs/new/fresh.md"))
        #expect(try await server.request("GET", "/api/v1/search/docs/matches?path=new/fresh&q=fresh").status == 404)
    }

    @Test("doc path validation: .., encoded slashes, absolute paths, NUL, empty segments, long paths")
    func pathValidation() async throws {
        let server = try ServerHarness()
        defer { server.stop() }
        try server.home.dir.write("secret.md", "secret token\n")
        try server.home.dir.write("dags/docs/ok.md", "token\n")
        let bad = [
            "..%2Fsecret", "../secret", "a/../../secret", "%2Fetc%2Fpasswd", "/etc/passwd", "ok%00", "a//b", "ok/", ".hidden",
            "..", "a%5Cb", String(repeating: "a", count: 257), "%2E%2E%2Fsecret",
        ]
        for path in bad {
            let reply = try await server.request("GET", "/api/v1/search/docs/matches?q=token&path=\(path)")
            #expect(reply.status == 400, "\(path): \(reply.text)")
            #expect(reply.json?["code"] == "bad_request")
            #expect(reply.json?["message"]?.stringValue?.hasPrefix("invalid doc path: ") == true, "\(path): \(reply.text)")
        }
        let required = try await server.request("GET", "/api/v1/search/docs/matches?q=token")
        #expect(required.status == 400)
        #expect(required.json?["message"] == "query parameter 'path' is required")
        #expect(try await server.request("GET", "/api/v1/search/docs/matches?q=token&path=" + String(repeating: "a", count: 256)).status == 404)
        #expect(try await server.request("GET", "/api/v1/search/docs/matches?q=token&path=ok").status == 200)

        // A link out of docs_dir is neither listed nor served; one inside is.
        let docs = server.home.dir.url.appendingPathComponent("dags/docs").path
        #expect(symlink(server.home.dir.url.appendingPathComponent("secret.md").path, docs + "/leak.md") == 0)
        #expect(symlink("ok.md", docs + "/alias.md") == 0)
        let feed = json(try await server.request("GET", "/api/v1/search/docs?q=token"))
        #expect(feed["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["alias", "ok"])
        #expect(try await server.request("GET", "/api/v1/search/docs/matches?q=secret&path=leak").status == 404)
    }

    @Test("docs_dir comes from TRELLIS_DOCS_DIR; a missing one means no documents")
    func configuredDirectory() async throws {
        let elsewhere = try TemporaryDirectory()
        defer { elsewhere.remove() }
        try elsewhere.write("guide.md", "configured token\n")
        let server = try ServerHarness(environment: ["TRELLIS_DOCS_DIR": elsewhere.url.path])
        defer { server.stop() }
        try server.home.dir.write("dags/docs/ignored.md", "configured token\n")
        let body = json(try await server.request("GET", "/api/v1/search/docs?q=configured"))
        #expect(body["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["guide"])
        let missing = try ServerHarness(environment: ["TRELLIS_DOCS_DIR": elsewhere.url.path + "/none"])
        defer { missing.stop() }
        #expect(json(try await missing.request("GET", "/api/v1/search/docs?q=configured")) == ["results": [], "hasMore": false])
    }
}

/// The runbooks shipped in `dags/docs/`.
@Suite("Bundled docs")
struct BundledDocsTests {
    @Test("every bundled doc is served with a front-matter title and description")
    func bundled() async throws {
        let docs = BundledDAGs.repositoryRoot.appendingPathComponent("dags/docs").path
        let files = try #require(FileManager.default.enumerator(atPath: docs)?.allObjects as? [String]).filter { $0.hasSuffix(".md") }
        #expect(files.count >= 4)
        let server = try ServerHarness(environment: ["TRELLIS_DOCS_DIR": docs])
        defer { server.stop() }
        let reply = try await server.request("GET", "/api/v1/search/docs?q=trellis&limit=50")
        #expect(reply.status == 200)
        let results = reply.json?["results"]?.arrayValue ?? []
        #expect(Set(results.compactMap { $0["id"]?.stringValue }) == Set(files.map { String($0.dropLast(3)) }))
        for item in results {
            let id = item["id"]?.stringValue ?? ""
            #expect(item["title"]?.stringValue != id.split(separator: "/").last.map(String.init), "\(id) has no title")
            #expect(item["description"]?.stringValue?.isEmpty == false, "\(id) has no description")
        }
        let retry = try await server.request("GET", "/api/v1/search/docs/matches?path=runbooks/rerun-failed-run&q=trellis%20retry")
        #expect(retry.status == 200)
        #expect((retry.json?["matches"]?.arrayValue?.count ?? 0) >= 1)
    }
}
