import Foundation
import Testing
import TrellisCore

/// `trellis server` over real HTTP on 127.0.0.1: conventions (API §1, §2) and the endpoints
/// served so far (§3.1, §4, §6).
@Suite("REST API: trellis server")
struct APIServerTests {
    static let hello = "description: says hello\nlabels: team=data, nightly\nsteps:\n  - {name: greet, command: 'echo hello', output: GREETING}\n"
    static let slow = "steps:\n  - {name: wait, command: 'sleep 30'}\n"

    private func object(_ reply: ServerHarness.Reply) throws -> JSONObject {
        guard case .object(let object)? = reply.json else {
            Issue.record("not a JSON object: \(reply.text)")
            return JSONObject([])
        }
        return object
    }

    /// Polls `probe` for an event of the server or an agent (bounded).
    private func eventually<T>(_ what: String, _ probe: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw EngineWaitTimeout(what: what)
    }

    @Test("health, request ids, JSON 404 and 405 with Allow, trailing slash, malformed bodies")
    func conventions() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let health = try await server.request("GET", "/api/v1/health/", headers: ["X-Request-Id": "abc-123"])
        #expect(health.status == 200)
        #expect(health.headers["x-request-id"] == "abc-123")
        let body = try object(health)
        #expect(body["status"] == .string("healthy"))
        #expect(body["uptime"]?.intValue != nil)
        let generated = try await server.request("GET", "/api/v1/health")
        #expect(generated.headers["x-request-id"]?.isEmpty == false)

        let missing = try await server.request("GET", "/api/v1/nope")
        #expect(missing.status == 404)
        #expect(try object(missing)["code"] == .string("not_found"))
        let outside = try await server.request("GET", "/index.html")
        #expect(outside.status == 404)
        #expect(outside.headers["content-type"]?.hasPrefix("application/json") == true)

        let wrongMethod = try await server.request("DELETE", "/api/v1/dags/labels")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "GET")
        #expect(try object(wrongMethod)["code"] == .string("bad_request"))

        let malformed = try await server.request("POST", "/api/v1/dags/hello/start", body: "{not json")
        #expect(malformed.status == 400)
        #expect(try object(malformed)["message"]?.stringValue?.contains("malformed JSON") == true)

        let traversal = try await server.request("GET", "/api/v1/dags/..%2Fetc%2Fpasswd")
        #expect(traversal.status == 400)
        #expect(try object(traversal)["message"] == .string("name must only contain alphanumeric characters, dashes, dots, and underscores"))

        let huge = String(repeating: " ", count: (8 << 20) + 10)
        let tooLarge = try await server.request("POST", "/api/v1/dags/hello/start", body: huge)
        #expect(tooLarge.status == 413)
    }

    @Test("token auth: 401 with the challenge and no body; /health stays public")
    func tokenAuth() async throws {
        let token = "a-long-enough-test-token-123"
        let server = try ServerHarness(environment: ["TRELLIS_AUTH_TOKEN": token], dags: ["hello": Self.hello])
        defer { server.stop() }
        let denied = try await server.request("GET", "/api/v1/dags")
        #expect(denied.status == 401)
        #expect(denied.headers["www-authenticate"] == "Bearer realm=\"restricted\"")
        #expect(denied.body.isEmpty)
        let wrong = try await server.request("GET", "/api/v1/dags", headers: ["Authorization": "Bearer nope"])
        #expect(wrong.status == 401)
        let allowed = try await server.request("GET", "/api/v1/dags", headers: ["Authorization": "bearer \(token)"])
        #expect(allowed.status == 200)
        #expect(try await server.request("GET", "/api/v1/health").status == 200)
    }

    @Test("GET /dags lists the catalog with filters and pagination; GET /dags/{fileName} has details")
    func dags() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello, "other": "steps: [\"true\"]\n", "broken": "steps: [\n"])
        defer { server.stop() }
        let all = try object(try await server.request("GET", "/api/v1/dags"))
        let names = all["dags"]?.arrayValue?.compactMap { $0["fileName"]?.stringValue }
        #expect(names == ["broken", "hello", "other"])
        #expect(all["pagination"]?["totalRecords"] == .integer(3))
        #expect(all["errors"] == .array([]))
        let broken = all["dags"]?.arrayValue?.first
        #expect(broken?["errors"]?.arrayValue?.isEmpty == false)
        #expect(broken?["latestDAGRun"]?["dagRunId"] == .string(""))

        let labelled = try object(try await server.request("GET", "/api/v1/dags?labels=team%3Ddata"))
        #expect(labelled["dags"]?.arrayValue?.compactMap { $0["fileName"]?.stringValue } == ["hello"])
        let paged = try object(try await server.request("GET", "/api/v1/dags?perPage=2&page=2"))
        #expect(paged["dags"]?.arrayValue?.count == 1)
        #expect(paged["pagination"]?["totalPages"] == .integer(2))
        let bad = try await server.request("GET", "/api/v1/dags?page=x")
        #expect(bad.status == 400)

        let details = try object(try await server.request("GET", "/api/v1/dags/hello"))
        #expect(details["dag"]?["name"] == .string("hello"))
        #expect(details["spec"] == .string(Self.hello))
        #expect(details["latestDAGRun"]?["statusLabel"] == .string("not_started"))
        #expect(details["latestDAGRun"]?["nodes"]?.arrayValue?.count == 1)
        let unknown = try await server.request("GET", "/api/v1/dags/ghost")
        #expect(unknown.status == 404)
        #expect(try object(unknown)["message"] == .string("DAG ghost not found"))
        let labels = try object(try await server.request("GET", "/api/v1/dags/labels"))
        #expect(labels["labels"] == .array([.string("nightly"), .string("team"), .string("team=data")]))
    }

    @Test("POST start runs a detached agent; the run is readable at once, then succeeds with its outputs and logs")
    func startAndRead() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let started = try await server.request("POST", "/api/v1/dags/hello/start", body: "{\"dagRunId\": \"run-1\"}")
        #expect(started.status == 200, "\(started.text)")
        #expect(try object(started)["dagRunId"] == .string("run-1"))
        let first = try object(try await server.request("GET", "/api/v1/dag-runs/hello/run-1"))
        #expect(first["dagRunDetails"]?["nodes"]?.arrayValue?.count == 1)
        #expect(first["dagRunDetails"]?["status"] != .integer(0))
        let done = try await eventually("the run to succeed") { () -> JSONObject? in
            let reply = try object(try await server.request("GET", "/api/v1/dag-runs/hello/latest"))
            return reply["dagRunDetails"]?["statusLabel"] == .string("succeeded") ? reply : nil
        }
        #expect(done["dagRunDetails"]?["dagRunId"] == .string("run-1"))
        let outputs = try object(try await server.request("GET", "/api/v1/dag-runs/hello/run-1/outputs"))
        #expect(outputs["outputs"]?["greeting"] == .string("hello"))
        let log = try object(try await server.request("GET", "/api/v1/dag-runs/hello/run-1/steps/greet/log"))
        #expect(log["content"] == .string("hello"))
        let list = try object(try await server.request("GET", "/api/v1/dag-runs"))
        #expect(list["dagRuns"]?.arrayValue?.first?["dagRunId"] == .string("run-1"))
        let again = try await server.request("POST", "/api/v1/dags/hello/start", body: "{\"dagRunId\": \"run-1\"}")
        #expect(again.status == 409)
        #expect(try object(again)["code"] == .string("already_exists"))
        let badParams = try await server.request("POST", "/api/v1/dags/hello/start", body: "{\"params\": \"X=1\", \"dagRunId\": \"bad\\/id\"}")
        #expect(badParams.status == 400)
    }

    @Test("POST stop delivers the stop; the run ends aborted; stopping again is not_running")
    func stop() async throws {
        let server = try ServerHarness(dags: ["slow": Self.slow])
        defer { server.stop() }
        let started = try await server.request("POST", "/api/v1/dags/slow/start", body: "{\"dagRunId\": \"s1\"}")
        #expect(started.status == 200, "\(started.text)")
        let stop = try await server.request("POST", "/api/v1/dag-runs/slow/s1/stop")
        #expect(stop.status == 200)
        #expect(stop.body.isEmpty)
        _ = try await eventually("the run to be aborted") { () -> Bool? in
            let reply = try object(try await server.request("GET", "/api/v1/dag-runs/slow/s1"))
            return reply["dagRunDetails"]?["statusLabel"] == .string("aborted") ? true : nil
        }
        let again = try await server.request("POST", "/api/v1/dag-runs/slow/s1/stop")
        #expect(again.status == 400)
        #expect(try object(again)["code"] == .string("not_running"))
    }

    @Test("a DAG file written into dags/ appears through the API, and disappears when deleted")
    func watcherReload() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        try server.home.dag("fresh", "steps: [\"true\"]\n")
        _ = try await eventually("the new DAG to be served") { () -> Bool? in
            try await server.request("GET", "/api/v1/dags/fresh").status == 200 ? true : nil
        }
        try FileManager.default.removeItem(atPath: server.home.path("dags/fresh.yaml"))
        _ = try await eventually("the deleted DAG to be gone") { () -> Bool? in
            try await server.request("GET", "/api/v1/dags/fresh").status == 404 ? true : nil
        }
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
