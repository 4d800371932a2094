import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TrellisCore

/// Hostile requests over raw sockets: path traversal and odd bytes in every path parameter and
/// every query parameter that names a file, DAG, run, step or document; oversized bodies and
/// headers; a client sending its headers byte by byte. Always a 4xx JSON error (never a 5xx),
/// and nothing is written outside the home.
@Suite("REST API: hostile requests", .serialized)
struct APIHostileRequestTests {
    static let hello = "steps:\n  - {name: greet, command: 'echo hello'}\n"

    /// Values sent as they are (already percent-encoded where needed). `canary` is the name of
    /// an empty folder next to the home.
    static func hostileValues(canary: String, canaryPath: String) -> [String] {
        [
            "..", ".", "...", "..%2F..%2F\(canary)%2Fx", "%2e%2e", "%2e%2e%2f", "%2e%2e%2f%2e%2e%2f\(canary)",
            "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2F", "a%2Fb", "hello%2F..%2F..%2F\(canary)",
            "%2Fetc%2Fpasswd", canaryPath.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
            "%00", "hello%00", "hello%00.yaml", "%00..%2F", "..%5C..%5C", "%5C", "hello%0Aevil", "%0D%0A", "%C0%AE%C0%AE%2F",
            "%25", "%ZZ", ".hidden", "~", "%7E%2F", "%20", "*", "%3F", "%23",
            String(repeating: "a", count: 300), String(repeating: "a", count: 5_000), String(repeating: "..%2F", count: 1_000),
        ]
    }

    /// Query parameters whose value names a file, DAG, run, step or document.
    static func namesSomething(_ parameter: String) -> Bool {
        let lowered = parameter.lowercased()
        return ["name", "file", "dag", "run", "step", "doc", "path", "id", "q"].contains { lowered == $0 || lowered.contains($0) }
    }

    @Test("every path parameter and every naming query parameter with traversal, NUL, slashes and long values", .timeLimit(.minutes(8)))
    func traversal() throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let home = server.home.home
        let canaryName = "canary-" + UUID().uuidString
        let canary = (home as NSString).deletingLastPathComponent + "/" + canaryName
        try FileManager.default.createDirectory(atPath: canary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: canary) }
        let parentBefore = Set(try FileManager.default.contentsOfDirectory(atPath: (home as NSString).deletingLastPathComponent))
        let mount = "/api/v1"
        let document = try RawHTTP.request(port: server.port, "GET", mount + "/openapi.json")
        let operations = try OpenAPIOperation.all(in: try #require(document.json))
        let started = try RawHTTP.request(port: server.port, "POST", mount + "/dags/hello/start",
                                          headers: ["Content-Type": "application/json"], body: Data("{}".utf8))
        let runID = try #require(started.json?["dagRunId"]?.stringValue)
        let good = ["fileName": "hello", "name": "hello", "dagRunId": runID, "stepName": "greet"]
        let values = Self.hostileValues(canary: canaryName, canaryPath: canary + "/x")
        var sent = 0
        var checkedQuery: Set<String> = []
        // Destructive operations go last; the hostile values must not touch the real DAG anyway.
        let ordered = operations.filter { $0.method != "DELETE" } + operations.filter { $0.method == "DELETE" }
        for operation in ordered {
            let body: Data = operation.hasBody ? Data("{}".utf8) : Data()
            let headers = operation.hasBody ? ["Content-Type": "application/json"] : [:]
            for parameter in operation.pathParameters {
                for value in values {
                    var filled = good
                    filled[parameter] = value
                    let reply = try RawHTTP.request(port: server.port, operation.method, mount + operation.path(filled), headers: headers, body: body)
                    sent += 1
                    let decoded = value.removingPercentEncoding ?? value
                    if operation.template == "/queues/{name}/items", NameRules.isValidDAGName(decoded) {
                        // A name by §1.4 that names no queue: an empty list (§7.3), no file read.
                        #expect(reply.status == 200 && reply.text == #"{"items":[]}"#, "\(operation) with \(value): \(reply.text)")
                        continue
                    }
                    Self.expectJSONError(reply, "\(operation) with \(parameter)=\(value.prefix(60))")
                }
            }
            for parameter in operation.queryParameters where Self.namesSomething(parameter) {
                checkedQuery.insert(parameter)
                for value in values {
                    let path = mount + operation.path(good) + "?\(parameter)=\(value)"
                    let reply = try RawHTTP.request(port: server.port, operation.method, path, headers: headers, body: body)
                    sent += 1
                    #expect(reply.status < 500, "\(operation) with ?\(parameter)=\(value.prefix(60)): \(reply.status) \(reply.text)")
                    if reply.status >= 300 { Self.expectJSONError(reply, "\(operation) with ?\(parameter)=\(value.prefix(60))") }
                }
            }
        }
        // Bodies that name files: a DAG created or renamed to a hostile name.
        for value in values {
            let decoded = value.removingPercentEncoding ?? value
            let name = JSONValue.string(decoded).serialized()
            let create = try RawHTTP.request(port: server.port, "POST", mount + "/dags", headers: ["Content-Type": "application/json"],
                                             body: Data("{\"name\":\(name),\"spec\":\"steps:\\n  - {name: a, command: 'true'}\\n\"}".utf8))
            let rename = try RawHTTP.request(port: server.port, "POST", mount + "/dags/hello/rename", headers: ["Content-Type": "application/json"],
                                             body: Data("{\"newFileName\":\(name)}".utf8))
            let inline = try RawHTTP.request(port: server.port, "POST", mount + "/dag-runs", headers: ["Content-Type": "application/json"],
                                             body: Data("{\"name\":\(name),\"spec\":\"steps:\\n  - {name: a, command: 'true'}\\n\"}".utf8))
            let withRunID = try RawHTTP.request(port: server.port, "POST", mount + "/dags/hello/start", headers: ["Content-Type": "application/json"],
                                            body: Data("{\"dagRunId\":\(name)}".utf8))
            let runName = try RawHTTP.request(port: server.port, "POST", mount + "/dags/hello/start", headers: ["Content-Type": "application/json"],
                                              body: Data("{\"dagName\":\(name)}".utf8))
            let queue = try RawHTTP.request(port: server.port, "POST", mount + "/dags/hello/enqueue", headers: ["Content-Type": "application/json"],
                                            body: Data("{\"queue\":\(name)}".utf8))
            sent += 6
            var replies = [("create", create), ("rename", rename), ("inline run", inline), ("run ID", withRunID)]
            // A blank dagName or queue means "absent" (trimmed, §4.8, §4.10).
            if !decoded.trimmingCharacters(in: .whitespaces).isEmpty { replies += [("run name", runName), ("queue", queue)] }
            for (what, reply) in replies {
                Self.expectJSONError(reply, "\(what) named \(decoded.prefix(60))")
            }
        }
        // A name the spec declares is checked like one in the body: a DAG file or an inline spec
        // whose `name:` starts with a dot cannot name runs (the run store refuses hidden folders).
        let dotted = "name: .hidden\nsteps:\n  - {name: a, command: 'true'}\n"
        let dottedDAG = try RawHTTP.request(port: server.port, "POST", mount + "/dags", headers: ["Content-Type": "application/json"],
                                          body: Data(JSONValue.object(JSONObject([("name", "dotted"), ("spec", .string(dotted))])).serialized().utf8))
        #expect(dottedDAG.status == 201, "\(dottedDAG.text)")
        for path in ["/dags/dotted/start", "/dags/dotted/enqueue", "/dag-runs", "/dag-runs/enqueue"] {
            let body = path.hasPrefix("/dag-runs") ? JSONValue.object(JSONObject([("spec", .string(dotted))])).serialized() : "{}"
            let reply = try RawHTTP.request(port: server.port, "POST", mount + path, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
            sent += 1
            Self.expectJSONError(reply, "\(path) of a spec named .hidden")
        }
        // NUL in the fields that reach the run agent's command line (schemathesis found labels).
        for path in ["/dags/hello/start", "/dags/hello/enqueue", "/dags/hello/start-sync", "/dag-runs"] {
            for field in [#""params":"A=x\u0000y""#, #""labels":["ok","x\u0000"]"#] {
                var body = "{" + field
                if path == "/dag-runs" { body += #","name":"inline","spec":"steps:\n  - {name: a, command: 'true'}\n""# }
                if path.hasSuffix("start-sync") { body += #","timeout":5"# }
                let reply = try RawHTTP.request(port: server.port, "POST", mount + path, headers: ["Content-Type": "application/json"],
                                                body: Data((body + "}").utf8))
                sent += 1
                Self.expectJSONError(reply, "\(path) with \(field)")
            }
        }
        print("hostile requests: \(sent) sent over \(operations.count) operations; query parameters checked: \(checkedQuery.sorted())")
        #expect(sent > 1_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: canary).isEmpty, "nothing is written into the canary folder")
        let parentAfter = Set(try FileManager.default.contentsOfDirectory(atPath: (home as NSString).deletingLastPathComponent))
        let created = parentAfter.subtracting(parentBefore).filter { $0.contains("canary") || $0.contains("passwd") || $0.hasPrefix("..") }
        #expect(created.isEmpty, "nothing new next to the home: \(created)")
        #expect(try RawHTTP.request(port: server.port, "GET", mount + "/dags/hello").status == 200, "the real DAG is intact")
    }

    static func expectJSONError(_ reply: ServerHarness.Reply, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((400..<500).contains(reply.status), "\(what): \(reply.status) \(reply.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(reply.json?["code"]?.stringValue?.isEmpty == false && reply.json?["message"]?.stringValue != nil,
                "\(what): not a JSON error object: \(reply.text.prefix(300))", sourceLocation: sourceLocation)
    }

    @Test("oversized body → 413, oversized headers → 4xx or a closed connection; the server keeps serving", .timeLimit(.minutes(3)))
    func oversized() throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let huge = Data(repeating: UInt8(ascii: " "), count: (8 << 20) + 1)
        let body = try RawHTTP.request(port: server.port, "POST", "/api/v1/dags/hello/start",
                                       headers: ["Content-Type": "application/json"], body: huge)
        #expect(body.status == 413)
        #expect(body.json?["code"]?.stringValue != nil, "\(body.text.prefix(200))")
        for size in [16 * 1024, 100 * 1024, 1 << 20] {
            let value = String(repeating: "h", count: size)
            do {
                let reply = try RawHTTP.request(port: server.port, "GET", "/api/v1/health", headers: ["X-Big": value])
                #expect(reply.status < 500, "a \(size)-byte header: \(reply.status)")
            } catch {
                // Refusing by closing the connection is fine too.
            }
            let many = Dictionary(uniqueKeysWithValues: (0..<2_000).map { ("X-H\($0)", "v") })
            do {
                let reply = try RawHTTP.request(port: server.port, "GET", "/api/v1/health", headers: many)
                #expect(reply.status < 500)
            } catch {}
            #expect(try RawHTTP.request(port: server.port, "GET", "/api/v1/health").status == 200)
        }
        let longPath = try RawHTTP.request(port: server.port, "GET", "/api/v1/dags/" + String(repeating: "a", count: 60_000))
        #expect(longPath.status < 500)
        #expect(try RawHTTP.request(port: server.port, "GET", "/api/v1/health").status == 200)
    }

    @Test("a client sending its headers byte by byte does not hold up other clients", .timeLimit(.minutes(3)))
    func slowClient() throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let slow = try SlowSocket(port: server.port)
        let head = Array("GET /api/v1/dags/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: \(String(repeating: "s", count: 40))\r\nConnection: close\r\n\r\n".utf8)
        let half = head.count / 2
        for byte in head[..<half] {
            try slow.send([byte])
            usleep(5_000)
        }
        // Meanwhile other clients are served, several times over.
        for _ in 0..<5 {
            #expect(try RawHTTP.request(port: server.port, "GET", "/api/v1/health").status == 200)
            #expect(try RawHTTP.request(port: server.port, "GET", "/api/v1/dags").status == 200)
        }
        for byte in head[half...] {
            try slow.send([byte])
            usleep(5_000)
        }
        let reply = try RawHTTP.parse(try slow.receiveAll())
        #expect(reply.status == 200)
        // Many slow clients at once, each holding a half-sent request: others are still served.
        let idle = try (0..<50).map { _ in try SlowSocket(port: server.port) }
        for socket in idle { try socket.send(Array(head[..<half])) }
        #expect(try RawHTTP.request(port: server.port, "GET", "/api/v1/health").status == 200)
        for socket in idle { try socket.send(Array(head[half...])) }
        for socket in idle { #expect(try RawHTTP.parse(try socket.receiveAll()).status == 200) }
    }
}
