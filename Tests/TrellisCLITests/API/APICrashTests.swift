import Foundation
import Testing
import TrellisCore

/// kill -9 of the server while runs are in flight (reliability): after a restart every run is
/// either still running under its agent or finished with its true status; none is lost or stuck.
@Suite("REST API: server crash with runs in flight")
struct APICrashTests {
    static let dags = [
        "ok": "steps:\n  - {name: wait, command: 'sleep 1'}\n  - {name: after, command: 'echo done'}\n",
        "bad": "steps:\n  - {name: wait, command: 'sleep 1'}\n  - {name: boom, command: 'exit 3'}\n",
        // A background child outlives the step's shell: a stray the dead-run repair must kill.
        "long": "steps:\n  - {name: hold, command: 'sleep 600 & sleep 60'}\n",
    ]

    @Test("six runs in flight, server SIGKILLed twice: each run keeps its agent or its true end; an agent killed while the server was down reads failed")
    func crashWithRunsInFlight() async throws {
        let server = try ServerHarness(dags: Self.dags)
        defer { server.stop() }
        var expected: [(dag: String, id: String)] = []
        for dag in ["ok", "bad", "long"] {
            for index in 1...2 {
                let id = "\(dag)-\(index)"
                let started = try await server.request("POST", "/api/v1/dags/\(dag)/start", body: "{\"dagRunId\": \"\(id)\"}")
                #expect(started.status == 200, "\(started.text)")
                expected.append((dag, id))
            }
        }
        try server.crashAndRestart()
        // While the server is down the second time, one long run's agent dies too.
        let victim = try #require(try await details(server, "long", "long-2")?["pid"]?.intValue ?? pid(of: server, "long", "long-2"))
        try server.crashAndRestart()
        kill(pid_t(victim), SIGKILL)

        let ended: [String: String] = ["ok-1": "succeeded", "ok-2": "succeeded", "bad-1": "failed", "bad-2": "failed",
                                       "long-2": "failed"]
        for (dag, id) in expected {
            let label = try await eventually("\(id) to settle") { () -> String? in
                guard let label = try await details(server, dag, id)?["statusLabel"]?.stringValue else { return nil }
                if let want = ended[id] { return label == want ? label : nil }
                return label
            }
            #expect(label == ended[id] ?? "running", "\(id)")
        }
        // The long run still running is really alive: stopping it works and it ends aborted.
        let stop = try await server.request("POST", "/api/v1/dag-runs/long/long-1/stop")
        #expect(stop.status == 200, "\(stop.text)")
        _ = try await eventually("long-1 to be aborted") { () -> Bool? in
            try await details(server, "long", "long-1")?["statusLabel"] == .string("aborted") ? true : nil
        }
        // The dead one says why, and its step's processes (the detached agent led their session)
        // were killed by the repair.
        let dead = try await details(server, "long", "long-2")
        #expect(dead?["nodes"]?.arrayValue?.first?["statusLabel"] != .string("running"))
        let strays = try #require(try snapshot(of: server, "long", "long-2")?.nodes.first?.pgid)
        _ = try await eventually("the step group of long-2 to be gone") { () -> Bool? in kill(-strays, 0) == -1 ? true : nil }
        // Nothing lost, nothing twice: the listing holds exactly the six runs.
        let listed = try await server.request("GET", "/api/v1/dag-runs?limit=100").json?["dagRuns"]?.arrayValue ?? []
        #expect(listed.compactMap { $0["dagRunId"]?.stringValue }.sorted() == expected.map(\.id).sorted())
    }

    private func details(_ server: ServerHarness, _ dag: String, _ id: String) async throws -> JSONValue? {
        try await server.request("GET", "/api/v1/dag-runs/\(dag)/\(id)").json?["dagRunDetails"]
    }

    /// The agent's pid from the stored snapshot (the API does not show it).
    private func pid(of server: ServerHarness, _ dag: String, _ id: String) throws -> Int? {
        try snapshot(of: server, dag, id)?.pid.map(Int.init)
    }

    private func snapshot(of server: ServerHarness, _ dag: String, _ id: String) throws -> RunSnapshot? {
        let store = try server.home.store()
        defer { store.close() }
        return try store.latestSnapshot(of: RunRef(name: dag, id: id))
    }

}
