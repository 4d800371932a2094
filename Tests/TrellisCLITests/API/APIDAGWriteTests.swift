import Foundation
import Testing
import TrellisCore

/// DAG file endpoints over real HTTP: create (API §4.2), validate (§4.3), delete (§4.5) and
/// update the spec (§4.7), with the body rules of §1.2 and read-your-writes.
@Suite("REST API: DAG file writes")
struct APIDAGWriteTests {
    static let hello = "steps:\n  - {name: greet, command: 'echo hello'}\n"

    private func object(_ reply: ServerHarness.Reply) throws -> JSONObject {
        guard case .object(let object)? = reply.json else {
            Issue.record("not a JSON object (\(reply.status)): \(reply.text)")
            return JSONObject([])
        }
        return object
    }

    /// A JSON body with `fields` in order.
    private func body(_ fields: (String, JSONValue)...) -> String {
        JSONValue.object(JSONObject(fields)).serialized()
    }

    /// Expects a 400 `bad_request` whose message is `message`.
    private func expectBadRequest(_ reply: ServerHarness.Reply, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(reply.status == 400, "\(reply.text)", sourceLocation: sourceLocation)
        let error = try object(reply)
        #expect(error["code"] == .string("bad_request"), sourceLocation: sourceLocation)
        #expect(error["message"] == .string(message), sourceLocation: sourceLocation)
    }

    private func fileNames(_ server: ServerHarness) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: server.home.path("dags")).sorted()
    }

    private func listed(_ server: ServerHarness) async throws -> [String] {
        let list = try object(try await server.request("GET", "/api/v1/dags"))
        return (list["dags"]?.arrayValue?.compactMap { $0["fileName"]?.stringValue } ?? []).sorted()
    }

    @Test("POST /dags: 201 and the file verbatim, listed at once; blank spec gets the default; 400s and 409")
    func create() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let spec = "# a comment kept verbatim\nname: custom-name\n\nsteps:\n  -   command:   echo  \"hi\"   \n"
        let created = try await server.request("POST", "/api/v1/dags", body: body(("name", "made"), ("spec", .string(spec)), ("extra", 1)))
        #expect(created.status == 201, "\(created.text)")
        #expect(try object(created) == JSONObject([("name", "made")]))
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.home.path("dags/made.yaml"))) == Data(spec.utf8))
        #expect(try await listed(server) == ["hello", "made"])
        let details = try object(try await server.request("GET", "/api/v1/dags/made"))
        #expect(details["spec"] == .string(spec))
        #expect(details["dag"]?["name"] == .string("custom-name"))

        let defaultText = "steps:\n  - command: echo hello\n"
        for (name, extra) in [("blank", [("spec", JSONValue.string(" \n\t\n"))]), ("absent", []), ("nulled", [("spec", JSONValue.null)])] {
            let reply = try await server.request("POST", "/api/v1/dags", body: JSONValue.object(JSONObject([("name", .string(name))] + extra)).serialized())
            #expect(reply.status == 201, "\(name): \(reply.text)")
            #expect(try String(contentsOfFile: server.home.path("dags/\(name).yaml"), encoding: .utf8) == defaultText)
            let served = try object(try await server.request("GET", "/api/v1/dags/\(name)/spec"))
            #expect(served["spec"] == .string(defaultText))
            #expect(served["errors"] == .array([]))
        }

        let again = try await server.request("POST", "/api/v1/dags", body: body(("name", "hello")))
        #expect(again.status == 409)
        #expect(try object(again) == JSONObject([("code", "already_exists"), ("message", "DAG hello already exists")]))
        #expect(try String(contentsOfFile: server.home.path("dags/hello.yaml"), encoding: .utf8) == Self.hello)

        try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: body(("name", ""))), "DAG name must not be empty")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: ""), "name is required")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: body(("name", .null))), "name is required")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: body(("name", 5))), "name must be a string")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: body(("name", "ok"), ("spec", .array([])))),
                             "spec must be a string")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: body(("name", "../etc"))),
                             "name must only contain alphanumeric characters, dashes, dots, and underscores")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: body(("name", .string(String(repeating: "a", count: 41))))),
                             "name must be at most 40 characters")
        for reserved in ["search", "labels", "tags", "validate"] {
            try expectBadRequest(try await server.request("POST", "/api/v1/dags", body: body(("name", .string(reserved)))),
                                 "name \"\(reserved)\" is reserved: search, labels, tags and validate cannot be DAG file names")
        }
        let hidden = try await server.request("POST", "/api/v1/dags", body: body(("name", ".hidden")))
        #expect(hidden.status == 400)
        let malformed = try await server.request("POST", "/api/v1/dags", body: "{\"name\": ")
        #expect(malformed.status == 400)
        #expect(try object(malformed)["message"]?.stringValue?.hasPrefix("malformed JSON") == true)

        // Invalid spec: every error joined by "; ", checked before the name clash; nothing written.
        let invalid = "steps:\n  - {name: a, command: 'true', depends: [ghost]}\nbogus: 1\n"
        let rejected = try await server.request("POST", "/api/v1/dags", body: body(("name", "hello"), ("spec", .string(invalid))))
        let errors = DAGLoader.load(text: invalid, fileName: "hello.yaml").errors.map(\.description)
        #expect(errors.count == 2)
        try expectBadRequest(rejected, errors.joined(separator: "; "))
        let broken = try await server.request("POST", "/api/v1/dags", body: body(("name", "broken"), ("spec", "steps: [\n")))
        #expect(broken.status == 400)
        #expect(try object(broken)["message"]?.stringValue?.contains("broken.yaml:2") == true)
        #expect(try fileNames(server) == ["absent.yaml", "blank.yaml", "hello.yaml", "made.yaml", "nulled.yaml"])
    }

    @Test("POST /dags/validate: valid, invalid, name fallback, warnings; never writes; junk and hostile text → 200")
    func validate() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let valid = try object(try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", .string(Self.hello)))))
        #expect(valid["valid"] == .bool(true))
        #expect(valid["errors"] == .array([]))
        #expect(valid["warnings"] == .array([]))
        #expect(valid["dag"]?["name"] == .string("validated-dag"))
        #expect(valid["dag"]?["steps"]?.arrayValue?.first?["name"] == .string("greet"))
        let named = try object(try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", .string(Self.hello)), ("name", "mine"))))
        #expect(named["dag"]?["name"] == .string("mine"))
        let own = try object(try await server.request("POST", "/api/v1/dags/validate",
                                                      body: body(("spec", .string("name: own\n" + Self.hello)), ("name", "mine"))))
        #expect(own["dag"]?["name"] == .string("own"))
        let emptyName = try object(try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", .string(Self.hello)), ("name", ""))))
        #expect(emptyName["dag"]?["name"] == .string("validated-dag"))

        let invalidText = "steps:\n  - {name: a, command: 'true', depends: [ghost]}\n"
        let invalid = try object(try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", .string(invalidText)))))
        #expect(invalid["valid"] == .bool(false))
        #expect(invalid["errors"] == .array(DAGLoader.load(text: invalidText, fileName: "validated-dag.yaml").errors.map { .string($0.description) }))
        #expect(invalid["dag"]?["name"] == .string("validated-dag"))
        let warned = try object(try await server.request("POST", "/api/v1/dags/validate",
                                                         body: body(("spec", "steps:\n  - call: ghost\n  - call: hello\n"))))
        #expect(warned["valid"] == .bool(true))
        #expect(warned["warnings"]?.arrayValue?.count == 1)
        #expect(warned["warnings"]?.arrayValue?.first?.stringValue?.contains("ghost") == true)

        try expectBadRequest(try await server.request("POST", "/api/v1/dags/validate", body: ""), "spec is required")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", .null))), "spec is required")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", .bool(true)))), "spec must be a string")
        try expectBadRequest(try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", "x"), ("name", "a/b"))),
                             "name must only contain alphanumeric characters, dashes, dots, and underscores")
        #expect(try await server.request("POST", "/api/v1/dags/validate", body: "\u{1}\u{2}garbage").status == 400)

        var generator = DAGWriteJunkGenerator(seed: 42)
        let junk = String(String.UnicodeScalarView((0..<20_000).compactMap { _ in Unicode.Scalar(UInt32.random(in: 1...0xD7FF, using: &generator)) }))
        let hostile: [(String, String)] = [
            ("junk", junk),
            ("nul", "steps:\n  - command: \u{0}\n"),
            ("deep flow", String(repeating: "[", count: 200_000)),
            ("deep balanced", String(repeating: "{a: ", count: 900) + "1" + String(repeating: "}", count: 900)),
            ("deep block", (0..<1_500).map { String(repeating: " ", count: $0) + "a:\n" }.joined()),
            ("alias bomb", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nsteps: *f\n"),
            ("huge", "steps:\n" + (0..<60_000).map { "  - {name: s\($0), command: echo \($0)}\n" }.joined()),
            ("two documents", "steps: [echo]\n---\nsteps: [echo]\n"),
            ("scalar", "just a scalar"),
            ("empty", ""),
        ]
        for (what, text) in hostile {
            let reply = try await server.request("POST", "/api/v1/dags/validate", body: body(("spec", .string(text))))
            #expect(reply.status == 200, "\(what): \(reply.status) \(reply.text.prefix(300))")
            let result = try object(reply)
            #expect(result["valid"] == .bool(false), "\(what)")
            #expect(result["errors"]?.arrayValue?.isEmpty == false, "\(what)")
        }
        #expect(try await server.request("GET", "/api/v1/health").status == 200)
        #expect(try fileNames(server) == ["hello.yaml"])
        #expect(try await listed(server) == ["hello"])
    }

    @Test("DELETE /dags/{f}: 204 and gone with its suspend flag; PUT spec: saved verbatim and served at once, or errors with the file unchanged")
    func deleteAndUpdate() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello, "doomed": Self.hello])
        defer { server.stop() }
        #expect(try await server.request("POST", "/api/v1/dags/doomed/suspend", body: "{\"suspend\": true}").status == 200)
        #expect(FileManager.default.fileExists(atPath: server.home.path("data/suspend/doomed.suspend")))
        let deleted = try await server.request("DELETE", "/api/v1/dags/doomed")
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        #expect(try fileNames(server) == ["hello.yaml"])
        #expect(!FileManager.default.fileExists(atPath: server.home.path("data/suspend/doomed.suspend")))
        #expect(try await listed(server) == ["hello"])
        let gone = try await server.request("GET", "/api/v1/dags/doomed")
        #expect(gone.status == 404)
        let again = try await server.request("DELETE", "/api/v1/dags/doomed")
        #expect(again.status == 404)
        #expect(try object(again) == JSONObject([("code", "not_found"), ("message", "DAG doomed not found")]))
        try expectBadRequest(try await server.request("DELETE", "/api/v1/dags/..%2Fx"),
                             "name must only contain alphanumeric characters, dashes, dots, and underscores")

        let updated = "# updated\nsteps:\n  - {name: shout, command: 'echo HELLO'}   \n"
        let saved = try await server.request("PUT", "/api/v1/dags/hello/spec", body: body(("spec", .string(updated)), ("unknown", true)))
        #expect(saved.status == 200, "\(saved.text)")
        #expect(try object(saved) == JSONObject([("errors", .array([]))]))
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.home.path("dags/hello.yaml"))) == Data(updated.utf8))
        let served = try object(try await server.request("GET", "/api/v1/dags/hello/spec"))
        #expect(served["spec"] == .string(updated))
        #expect(served["dag"]?["steps"]?.arrayValue?.first?["name"] == .string("shout"))

        let invalid = "steps:\n  - {name: a, command: 'true', depends: [ghost]}\nbogus: 1\n"
        let refused = try await server.request("PUT", "/api/v1/dags/hello/spec", body: body(("spec", .string(invalid))))
        #expect(refused.status == 200)
        let expected = DAGLoader.load(text: invalid, fileName: "hello.yaml").errors.map { JSONValue.string($0.description) }
        #expect(expected.count == 2)
        #expect(try object(refused) == JSONObject([("errors", .array(expected))]))
        let blank = try object(try await server.request("PUT", "/api/v1/dags/hello/spec", body: body(("spec", ""))))
        #expect(blank["errors"]?.arrayValue?.isEmpty == false)
        #expect(try Data(contentsOf: URL(fileURLWithPath: server.home.path("dags/hello.yaml"))) == Data(updated.utf8))
        #expect(try object(try await server.request("GET", "/api/v1/dags/hello/spec"))["spec"] == .string(updated))

        try expectBadRequest(try await server.request("PUT", "/api/v1/dags/hello/spec", body: "{}"), "spec is required")
        try expectBadRequest(try await server.request("PUT", "/api/v1/dags/hello/spec", body: body(("spec", 3))), "spec must be a string")
        let unknown = try await server.request("PUT", "/api/v1/dags/ghost/spec", body: body(("spec", .string(Self.hello))))
        #expect(unknown.status == 404)
        #expect(try object(unknown) == JSONObject([("code", "not_found"), ("message", "DAG ghost not found")]))
        #expect(try fileNames(server) == ["hello.yaml"])
    }
}

/// A deterministic generator for junk input (SplitMix64).
struct DAGWriteJunkGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
