import Foundation
import Testing
import TrellisCore
import TrellisStore

/// Suspend (API §4.11), rename (§4.12), stop-all (§4.13) and start-sync (§4.9) over real HTTP.
@Suite("REST API: suspend, rename, stop-all, start-sync")
struct APIDAGWriteRunTests {
    static let quick = "steps:\n  - {name: greet, command: 'echo hello'}\n"
    static let slow = "steps:\n  - {name: wait, command: 'sleep 300'}\n"

    private func object(_ reply: ServerHarness.Reply) throws -> JSONObject {
        guard case .object(let object)? = reply.json else {
            Issue.record("not a JSON object (\(reply.status)): \(reply.text)")
            return JSONObject([])
        }
        return object
    }

    private func expectError(_ reply: ServerHarness.Reply, _ status: Int, _ code: String, _ message: String,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(try object(reply) == JSONObject([("code", .string(code)), ("message", .string(message))]), sourceLocation: sourceLocation)
    }

    /// "200, empty body" (API §1.2).
    private func expectEmpty(_ reply: ServerHarness.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == 200, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.body.isEmpty, sourceLocation: sourceLocation)
        #expect(reply.headers["content-length"] == "0", sourceLocation: sourceLocation)
    }


    private func status(_ server: ServerHarness, _ dag: String, _ id: String) async throws -> String? {
        try object(try await server.request("GET", "/api/v1/dag-runs/\(dag)/\(id)"))["dagRunDetails"]?["statusLabel"]?.stringValue
    }

    private func suspended(_ server: ServerHarness, _ fileName: String) async throws -> JSONValue? {
        try object(try await server.request("GET", "/api/v1/dags/\(fileName)"))["suspended"]
    }

    @Test("suspend sets and clears the flag (GET shows it); rename moves the file and its flag; 400, 404, 409")
    func suspendAndRename() async throws {
        let server = try ServerHarness(dags: ["quick": Self.quick, "other": Self.quick])
        defer { server.stop() }
        let flag = server.home.path("data/suspend/quick.suspend")
        expectEmpty(try await server.request("POST", "/api/v1/dags/quick/suspend", body: "{\"suspend\": true, \"note\": 1}"))
        #expect(try await suspended(server, "quick") == .bool(true))
        #expect(FileManager.default.fileExists(atPath: flag))
        expectEmpty(try await server.request("POST", "/api/v1/dags/quick/suspend", body: "{\"suspend\": false}"))
        #expect(try await suspended(server, "quick") == .bool(false))
        #expect(!FileManager.default.fileExists(atPath: flag))
        for bad in ["", "{}", "{\"suspend\": null}"] {
            try expectError(try await server.request("POST", "/api/v1/dags/quick/suspend", body: bad), 400, "bad_request", "suspend is required")
        }
        try expectError(try await server.request("POST", "/api/v1/dags/quick/suspend", body: "{\"suspend\": \"true\"}"),
                        400, "bad_request", "suspend must be a boolean")
        try expectError(try await server.request("POST", "/api/v1/dags/ghost/suspend", body: "{\"suspend\": true}"),
                        404, "not_found", "DAG ghost not found")

        expectEmpty(try await server.request("POST", "/api/v1/dags/quick/suspend", body: "{\"suspend\": true}"))
        expectEmpty(try await server.request("POST", "/api/v1/dags/quick/rename", body: "{\"newFileName\": \"renamed\"}"))
        let dags = server.home.path("dags")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dags).sorted() == ["other.yaml", "renamed.yaml"])
        #expect(try String(contentsOfFile: dags + "/renamed.yaml", encoding: .utf8) == Self.quick)
        #expect(try await server.request("GET", "/api/v1/dags/quick").status == 404)
        #expect(try await suspended(server, "renamed") == .bool(true))
        #expect(!FileManager.default.fileExists(atPath: flag))
        #expect(FileManager.default.fileExists(atPath: server.home.path("data/suspend/renamed.suspend")))
        let list = try object(try await server.request("GET", "/api/v1/dags"))
        #expect(list["dags"]?.arrayValue?.compactMap { $0["fileName"]?.stringValue } == ["other", "renamed"])

        let rename = "/api/v1/dags/renamed/rename"
        try expectError(try await server.request("POST", rename, body: "{\"newFileName\": \"other\"}"), 409, "already_exists", "DAG other already exists")
        try expectError(try await server.request("POST", rename, body: "{\"newFileName\": \"renamed\"}"), 409, "already_exists", "DAG renamed already exists")
        try expectError(try await server.request("POST", rename, body: "{}"), 400, "bad_request", "newFileName is required")
        try expectError(try await server.request("POST", rename, body: "{\"newFileName\": 7}"), 400, "bad_request", "newFileName must be a string")
        try expectError(try await server.request("POST", rename, body: "{\"newFileName\": \"\"}"), 400, "bad_request", "newFileName must not be empty")
        try expectError(try await server.request("POST", rename, body: "{\"newFileName\": \"../escape\"}"), 400, "bad_request",
                        "newFileName must only contain alphanumeric characters, dashes, dots, and underscores")
        for reserved in ["search", "labels", "tags", "validate"] {
            try expectError(try await server.request("POST", rename, body: "{\"newFileName\": \"\(reserved)\"}"), 400, "bad_request",
                            "newFileName \"\(reserved)\" is reserved: search, labels, tags and validate cannot be DAG file names")
        }
        try expectError(try await server.request("POST", "/api/v1/dags/ghost/rename", body: "{\"newFileName\": \"x\"}"),
                        404, "not_found", "DAG ghost not found")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dags).sorted() == ["other.yaml", "renamed.yaml"])
    }

    @Test("stop-all stops every running run and leaves queued ones; rename is refused while a run is active")
    func stopAllAndActiveRename() async throws {
        let server = try ServerHarness(dags: ["slow": Self.slow, "quick": Self.quick])
        defer { server.stop() }
        for id in ["r1", "r2"] {
            let started = try await server.request("POST", "/api/v1/dags/slow/start", body: "{\"dagRunId\": \"\(id)\"}")
            #expect(started.status == 200, "\(started.text)")
        }
        try expectError(try await server.request("POST", "/api/v1/dags/slow/rename", body: "{\"newFileName\": \"slower\"}"),
                        409, "already_exists", "DAG slow has an active run")
        let stopped = try await server.request("POST", "/api/v1/dags/slow/stop-all")
        #expect(stopped.status == 200)
        #expect(try object(stopped) == JSONObject([("errors", .array([]))]))
        for id in ["r1", "r2"] {
            _ = try await eventually("run \(id) to be aborted") { () -> Bool? in
                try await status(server, "slow", id) == "aborted" ? true : nil
            }
        }
        #expect(try object(try await server.request("POST", "/api/v1/dags/slow/stop-all")) == JSONObject([("errors", .array([]))]))
        expectEmpty(try await server.request("POST", "/api/v1/dags/slow/rename", body: "{\"newFileName\": \"slower\"}"))
        try expectError(try await server.request("POST", "/api/v1/dags/slow/stop-all"), 404, "not_found", "DAG slow not found")

        // A queued run (written to the store as the scheduler's queue would) blocks a rename and
        // survives stop-all.
        let store = try server.home.store()
        let header = RunHeader(run: RunRef(name: "quick", id: "q1"), createdAt: Date(), triggerType: .manual, queue: "quick",
                               sourceFileName: "quick")
        try store.createRun(header, spec: Self.quick, initial: RunSnapshot(header: header, attemptId: "", status: .queued, log: "",
                                                                           nodes: [NodeRecord(name: "greet")]))
        try expectError(try await server.request("POST", "/api/v1/dags/quick/rename", body: "{\"newFileName\": \"quicker\"}"),
                        409, "already_exists", "DAG quick has an active run")
        #expect(try object(try await server.request("POST", "/api/v1/dags/quick/stop-all")) == JSONObject([("errors", .array([]))]))
        #expect(try await status(server, "quick", "q1") == "queued")
    }

    @Test("start-sync: 200 with the finished run; 408 with dagRunId while the run goes on; timeout required 1-86400")
    func startSync() async throws {
        let server = try ServerHarness(dags: ["slow": Self.slow, "quick": Self.quick, "broken": "steps: [\n"])
        defer { server.stop() }
        let done = try await server.request("POST", "/api/v1/dags/quick/start-sync", body: "{\"timeout\": 60, \"dagRunId\": \"sync-1\"}")
        #expect(done.status == 200, "\(done.text)")
        let run = try object(done)["dagRun"]
        #expect(run?["dagRunId"] == .string("sync-1"))
        #expect(run?["statusLabel"] == .string("succeeded"))
        #expect(run?["status"] == .integer(4))
        #expect(run?["nodes"]?.arrayValue?.first?["step"]?["name"] == .string("greet"))
        #expect(run?["finishedAt"]?.stringValue?.isEmpty == false)
        try expectError(try await server.request("POST", "/api/v1/dags/quick/start-sync", body: "{\"timeout\": 5, \"dagRunId\": \"sync-1\"}"),
                        409, "already_exists", "dag-run ID sync-1 already exists for DAG quick")

        let timedOut = try await server.request("POST", "/api/v1/dags/slow/start-sync", body: "{\"timeout\": 1, \"dagRunId\": \"long\"}")
        #expect(timedOut.status == 408, "\(timedOut.text)")
        #expect(try object(timedOut) == JSONObject([
            ("code", "timeout"),
            ("message", "timeout waiting for DAG slow to complete after 1 seconds; DAG run continues in background"),
            ("details", .object(JSONObject([("dagRunId", "long")]))),
            ("dagRunId", "long"),
        ]))
        #expect(try await status(server, "slow", "long") == "running")
        #expect(try await server.request("POST", "/api/v1/dag-runs/slow/long/stop").status == 200)
        _ = try await eventually("the timed-out run to be aborted") { () -> Bool? in
            try await status(server, "slow", "long") == "aborted" ? true : nil
        }

        let path = "/api/v1/dags/quick/start-sync"
        try expectError(try await server.request("POST", path, body: ""), 400, "bad_request", "timeout is required")
        try expectError(try await server.request("POST", path, body: "{\"timeout\": null}"), 400, "bad_request", "timeout is required")
        try expectError(try await server.request("POST", path, body: "{\"timeout\": \"5\"}"), 400, "bad_request", "timeout must be an integer")
        try expectError(try await server.request("POST", path, body: "{\"timeout\": 2.5}"), 400, "bad_request", "timeout must be an integer")
        try expectError(try await server.request("POST", path, body: "{\"timeout\": 0}"), 400, "bad_request",
                        "timeout must be between 1 and 86400 seconds, got 0")
        try expectError(try await server.request("POST", path, body: "{\"timeout\": 86401}"), 400, "bad_request",
                        "timeout must be between 1 and 86400 seconds, got 86401")
        try expectError(try await server.request("POST", path, body: "{\"timeout\": 5, \"singleton\": 1}"), 400, "bad_request",
                        "singleton must be a boolean")
        try expectError(try await server.request("POST", "/api/v1/dags/ghost/start-sync", body: "{\"timeout\": 5}"),
                        404, "not_found", "DAG ghost not found")
        let broken = try await server.request("POST", "/api/v1/dags/broken/start-sync", body: "{\"timeout\": 5}")
        #expect(broken.status == 400)
        #expect(try object(broken)["message"]?.stringValue?.contains("broken.yaml") == true)
        let runs = try object(try await server.request("GET", "/api/v1/dag-runs/quick"))
        #expect(runs["dagRuns"]?.arrayValue?.count == 1)
    }
}
