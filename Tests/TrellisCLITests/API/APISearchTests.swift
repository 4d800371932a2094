import Foundation
import Testing
import TrellisCore

/// Search over real HTTP (API §5): the legacy regular-expression search, the DAG and docs feeds
/// with their match pages, cursors, labels and doc path validation.
@Suite("REST API: search (§5)")
struct APISearchTests {
    /// A DAG whose step commands are `lines`, with optional labels.
    static func dag(_ lines: [String], labels: String? = nil) -> String {
        var text = labels.map { "labels: \($0)\n" } ?? ""
        text += "steps:\n"
        for (index, line) in lines.enumerated() { text += "  - name: s\(index)\n    command: echo \(line)\n" }
        return text
    }

    private func json(_ reply: ServerHarness.Reply, _ status: Int = 200, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        return reply.json ?? .null
    }

    private func badRequest(_ server: ServerHarness, _ path: String, _ message: String? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let reply = try await server.request("GET", path)
        #expect(reply.status == 400, "\(path): \(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.json?["code"] == "bad_request", sourceLocation: sourceLocation)
        if let message {
            #expect(reply.json?["message"]?.stringValue == message, "\(path)", sourceLocation: sourceLocation)
        }
    }

    /// Percent-encodes a query value.
    static func encoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    @Test("DAG feed: shape, first match only, hasMoreMatches, labels, every page walked once")
    func dagFeed() async throws {
        var dags: [String: String] = [:]
        for index in 0..<17 {
            let name = String(format: "dag-%02d", index)
            switch index % 4 {
            case 0: dags[name] = Self.dag(["nothing here"])
            case 1: dags[name] = Self.dag(["NEEDLE once"], labels: "team=data")
            default: dags[name] = Self.dag(["a", "needle one", "b", "c", "the Needle two"], labels: "team=ops")
            }
        }
        let server = try ServerHarness(dags: dags)
        defer { server.stop() }

        let first = json(try await server.request("GET", "/api/v1/search/dags?q=needle&limit=1"))
        let item = try #require(first["results"]?.arrayValue?.first)
        #expect(item["fileName"] == "dag-01")
        #expect(item["name"] == "dag-01")
        #expect(item["hasMoreMatches"] == false)
        #expect(item["nextMatchesCursor"] == nil)
        #expect(item["matches"] == [["line": "steps:\n  - name: s0\n    command: echo NEEDLE once", "lineNumber": 4, "startLine": 2]])
        #expect(first["hasMore"] == true)
        #expect(first["nextCursor"]?.stringValue?.isEmpty == false)

        // Walk every page: each matching file exactly once, in file-name order.
        let matching = dags.keys.sorted().filter { Int($0.suffix(2))! % 4 != 0 }
        for (labels, expected) in [("", matching), ("team%3Dops", matching.filter { Int($0.suffix(2))! % 4 >= 2 }),
                                   ("!team", [String]())] {
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                var path = "/api/v1/search/dags?q=NeEdLe&limit=3&labels=\(labels)"
                if let cursor { path += "&cursor=\(cursor)" }
                let page = json(try await server.request("GET", path))
                let results = try #require(page["results"]?.arrayValue)
                #expect(results.count <= 3)
                seen += results.compactMap { $0["fileName"]?.stringValue }
                for result in results where result["hasMoreMatches"] == true {
                    #expect(result["nextMatchesCursor"]?.stringValue != nil)
                    #expect(result["matches"]?.arrayValue?.count == 1)
                    #expect(result["matches"]?[0]?["lineNumber"] == 6)
                }
                cursor = page["nextCursor"]?.stringValue
                #expect((page["hasMore"] == true) == (cursor != nil))
                pages += 1
            } while cursor != nil && pages < 50
            #expect(seen == expected, "labels=\(labels)")
            #expect(pages == max(1, (expected.count + 2) / 3), "labels=\(labels)")
        }

        // limit is clamped to 1…50; a non-integer is 400.
        let all = json(try await server.request("GET", "/api/v1/search/dags?q=needle&limit=1000"))
        #expect(all["results"]?.arrayValue?.count == matching.count)
        #expect(all["hasMore"] == false)
        #expect(all["nextCursor"] == nil)
        #expect(json(try await server.request("GET", "/api/v1/search/dags?q=needle&limit=0"))["results"]?.arrayValue?.count == 1)
        #expect(json(try await server.request("GET", "/api/v1/search/dags?q=needle"))["results"]?.arrayValue?.count == matching.count)
        try await badRequest(server, "/api/v1/search/dags?q=needle&limit=many")
        let none = json(try await server.request("GET", "/api/v1/search/dags?q=absent"))
        #expect(none == ["results": [], "hasMore": false])
    }

    @Test("DAG matches: pages from nextMatchesCursor, hasMore and nextCursor, labels, 404")
    func dagMatches() async throws {
        let lines = (1...9).map { "hit \($0)" }
        let server = try ServerHarness(dags: ["many": Self.dag(lines, labels: "team=data"), "other": Self.dag(["hit"])])
        defer { server.stop() }
        // Match lines: each step is 2 lines after `steps:`, command on the even line 4, 6, … 20.
        let expected = (1...9).map { 2 + 2 * $0 }
        let feed = json(try await server.request("GET", "/api/v1/search/dags?q=HIT&labels=team%3Ddata"))
        let item = try #require(feed["results"]?[0])
        #expect(item["fileName"] == "many")
        #expect(item["hasMoreMatches"] == true)
        var cursor = try #require(item["nextMatchesCursor"]?.stringValue)
        var seen = [try #require(item["matches"]?[0]?["lineNumber"]?.intValue)]
        var pages = 0
        while pages < 20 {
            let page = json(try await server.request("GET", "/api/v1/search/dags/many/matches?q=HIT&labels=team%3Ddata&limit=3&cursor=\(cursor)"))
            let matches = try #require(page["matches"]?.arrayValue)
            seen += matches.compactMap { $0["lineNumber"]?.intValue }
            pages += 1
            guard let next = page["nextCursor"]?.stringValue else {
                #expect(page["hasMore"] == false)
                break
            }
            #expect(page["hasMore"] == true)
            cursor = next
        }
        #expect(seen == expected)
        #expect(pages == 3)

        // Without a cursor: from the start, default limit 5; snippet with two lines of context.
        let start = json(try await server.request("GET", "/api/v1/search/dags/many/matches?q=hit%209"))
        #expect(start["matches"] == [["line": "    command: echo hit 8\n  - name: s8\n    command: echo hit 9", "lineNumber": 20, "startLine": 18]])
        #expect(start["hasMore"] == false)
        #expect(start["nextCursor"] == nil)
        let five = json(try await server.request("GET", "/api/v1/search/dags/many/matches?q=hit"))
        #expect(five["matches"]?.arrayValue?.count == 5)
        #expect(five["hasMore"] == true)

        // A label mismatch or no match: an empty page; unknown DAG 404; bad name 400.
        let mismatch = json(try await server.request("GET", "/api/v1/search/dags/other/matches?q=hit&labels=team%3Ddata"))
        #expect(mismatch == ["matches": [], "hasMore": false])
        #expect(json(try await server.request("GET", "/api/v1/search/dags/many/matches?q=zzz")) == ["matches": [], "hasMore": false])
        let missing = try await server.request("GET", "/api/v1/search/dags/nope/matches?q=hit")
        #expect(missing.status == 404)
        #expect(missing.json?["message"] == "DAG not found")
        try await badRequest(server, "/api/v1/search/dags/..%2Fetc/matches?q=hit")
    }

    @Test("cursor misuse and a missing q are 400 on every endpoint")
    func misuse() async throws {
        let server = try ServerHarness(dags: ["a": Self.dag(["hit 1", "hit 2", "hit 3"]), "b": Self.dag(["hit"]),
                                              "c": Self.dag(["hit"])])
        defer { server.stop() }
        try server.home.dir.write("dags/docs/guide.md", "hit\nhit\nhit\n")
        try server.home.dir.write("dags/docs/more.md", "hit\n")
        let qMissing = "query parameter 'q' is required"
        for path in ["/api/v1/dags/search", "/api/v1/search/dags", "/api/v1/search/dags/a/matches", "/api/v1/search/docs",
                     "/api/v1/search/docs/matches?path=guide"] {
            let joiner = path.contains("?") ? "&" : "?"
            try await badRequest(server, path, qMissing)
            try await badRequest(server, path + joiner + "q=", qMissing)
            try await badRequest(server, path + joiner + "q=%20%20", qMissing)
        }
        let feed = json(try await server.request("GET", "/api/v1/search/dags?q=hit&limit=1"))
        let feedCursor = try #require(feed["nextCursor"]?.stringValue)
        let matchesCursor = try #require(feed["results"]?[0]?["nextMatchesCursor"]?.stringValue)
        let docs = json(try await server.request("GET", "/api/v1/search/docs?q=hit&limit=1"))
        let docCursor = try #require(docs["nextCursor"]?.stringValue)
        let docMatchesCursor = try #require(docs["results"]?[0]?["nextMatchesCursor"]?.stringValue)
        let invalid = "invalid search cursor"
        for garbage in ["garbage", "%21%21", "eyJ4IjoxfQ", String(repeating: "A", count: 100)] {
            try await badRequest(server, "/api/v1/search/dags?q=hit&cursor=\(garbage)", invalid)
            try await badRequest(server, "/api/v1/search/dags/a/matches?q=hit&cursor=\(garbage)", invalid)
            try await badRequest(server, "/api/v1/search/docs?q=hit&cursor=\(garbage)", invalid)
            try await badRequest(server, "/api/v1/search/docs/matches?path=guide&q=hit&cursor=\(garbage)", invalid)
        }
        // Bound to q, labels, the endpoint and the file.
        try await badRequest(server, "/api/v1/search/dags?q=HIT&cursor=\(feedCursor)", invalid)
        try await badRequest(server, "/api/v1/search/dags?q=hit&labels=x&cursor=\(feedCursor)", invalid)
        try await badRequest(server, "/api/v1/search/docs?q=hit&cursor=\(feedCursor)", invalid)
        try await badRequest(server, "/api/v1/search/dags/a/matches?q=hit&cursor=\(feedCursor)", invalid)
        try await badRequest(server, "/api/v1/search/dags/b/matches?q=hit&cursor=\(matchesCursor)", invalid)
        try await badRequest(server, "/api/v1/search/dags/a/matches?q=hi&cursor=\(matchesCursor)", invalid)
        try await badRequest(server, "/api/v1/search/dags?q=hit&cursor=\(docCursor)", invalid)
        try await badRequest(server, "/api/v1/search/docs/matches?path=more&q=hit&cursor=\(docMatchesCursor)", invalid)
        try await badRequest(server, "/api/v1/search/docs/matches?path=guide&q=hit&cursor=\(matchesCursor)", invalid)
        // The right ones work.
        #expect(try await server.request("GET", "/api/v1/search/dags?q=hit&cursor=\(feedCursor)").status == 200)
        #expect(try await server.request("GET", "/api/v1/search/dags/a/matches?q=hit&cursor=\(matchesCursor)").status == 200)
        #expect(try await server.request("GET", "/api/v1/search/docs/matches?path=guide&q=hit&cursor=\(docMatchesCursor)").status == 200)
        try await badRequest(server, "/api/v1/search/dags?q=hit&workspace=bad%20space")
        try await badRequest(server, "/api/v1/search/docs?q=hit&remoteNode=elsewhere")
    }

    @Test("legacy GET /dags/search: case-insensitive regex, all matches, DAG objects, invalid regex 400")
    func legacy() async throws {
        let server = try ServerHarness(dags: [
            "b-etl": "description: Nightly ETL\nlabels: team=data\nsteps:\n  - name: load\n    command: echo LOAD rows\n  - name: more\n    command: echo load again\n",
            "a-report": "steps:\n  - name: report\n    command: echo Loader\n",
            "c-none": "steps:\n  - name: x\n    command: echo nothing\n",
            "d-broken": "steps: [load\n",
        ])
        defer { server.stop() }
        let body = json(try await server.request("GET", "/api/v1/dags/search?q=" + Self.encoded("lo+ad")))
        #expect(body["errors"] == [])
        let results = try #require(body["results"]?.arrayValue)
        #expect(results.map { $0["name"]?.stringValue ?? "" } == ["a-report", "b-etl", "d-broken"])
        #expect(results[0]["dag"]?["name"] == "a-report")
        #expect(results[0]["dag"]?["schedule"] == [])
        #expect(results[1]["dag"]?["description"] == "Nightly ETL")
        #expect(results[1]["dag"]?["labels"] == ["team=data"])
        #expect(results[1]["matches"]?.arrayValue?.map { $0["lineNumber"]?.intValue ?? 0 } == [4, 5, 7])
        #expect(results[1]["matches"]?[0] == ["line": "labels: team=data\nsteps:\n  - name: load\n    command: echo LOAD rows\n  - name: more",
                                              "lineNumber": 4, "startLine": 2])
        #expect(results[2]["dag"] == ["name": "d-broken", "params": [], "labels": [], "tags": [], "schedule": []])
        let anchored = json(try await server.request("GET", "/api/v1/dags/search?q=" + Self.encoded("^steps:$")))
        #expect(anchored["results"]?.arrayValue?.count == 3)
        let invalid = try await server.request("GET", "/api/v1/dags/search?q=" + Self.encoded("(unclosed"))
        #expect(invalid.status == 400)
        #expect(invalid.json?["message"]?.stringValue?.hasPrefix("invalid regular expression") == true)
        #expect(json(try await server.request("GET", "/api/v1/dags/search?q=zzz")) == ["results": [], "errors": []])
    }

    @Test("every search path of /openapi.json is served with GET, and only GET")
    func openAPIRoutes() async throws {
        let server = try ServerHarness(dags: ["a": Self.dag(["x"])])
        defer { server.stop() }
        let document = json(try await server.request("GET", "/api/v1/openapi.json"))
        let paths = (document["paths"]?.objectValue?.keys ?? []).filter { $0.hasPrefix("/search") || $0 == "/dags/search" }
        #expect(Set(paths) == ["/dags/search", "/search/dags", "/search/dags/{fileName}/matches", "/search/docs", "/search/docs/matches"])
        for path in paths {
            #expect(document["paths"]?[path]?.objectValue?.keys.contains("get") == true)
            let concrete = "/api/v1" + path.replacingOccurrences(of: "{fileName}", with: "a") + "?q=x&path=a"
            let reply = try await server.request("GET", concrete)
            #expect(reply.status == 200 || (path == "/search/docs/matches" && reply.status == 404), "\(path): \(reply.text)")
            #expect(reply.json?["message"]?.stringValue?.hasPrefix("no route") != true, "\(path)")
            let post = try await server.request("POST", concrete)
            #expect(post.status == 405, "\(path)")
            #expect(post.headers["allow"] == "GET", "\(path)")
        }
    }

    @Test("a DAG written on disk is found by the next searches")
    func liveDAG() async throws {
        let server = try ServerHarness(dags: ["a": Self.dag(["first"])])
        defer { server.stop() }
        #expect(json(try await server.request("GET", "/api/v1/search/dags?q=brand-new"))["results"] == [])
        try server.home.dag("b", Self.dag(["brand-new words"]))
        let deadline = Date().addingTimeInterval(60)
        var found: JSONValue?
        while Date() < deadline {
            let body = json(try await server.request("GET", "/api/v1/search/dags?q=BRAND-NEW"))
            if body["results"]?.arrayValue?.isEmpty == false { found = body; break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(found?["results"]?[0]?["fileName"] == "b")
    }
}

extension JSONValue {
    /// The element at `index` of an array (nil for anything else or out of range).
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
