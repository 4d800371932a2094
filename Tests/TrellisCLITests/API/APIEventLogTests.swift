import Foundation
import Logging
import Testing
import TrellisCore
import TrellisStore

/// The event log (API §8) over real processes: events written by run agents (`cli`), the
/// server and the scheduler into `data/events/`, and `GET /event-logs` reading them.
@Suite("Event log: writers and GET /event-logs")
struct APIEventLogTests {
    static let hello = "steps:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true'}\n"

    private func eventually<T>(_ what: String, _ probe: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw EngineWaitTimeout(what: what)
    }

    private func entries(_ server: ServerHarness, _ query: String) async throws -> [JSONValue] {
        let reply = try await server.request("GET", "/api/v1/event-logs?" + query)
        #expect(reply.status == 200, "\(query): \(reply.text)")
        return reply.json?["entries"]?.arrayValue ?? []
    }

    /// Waits until the entries for `query` have exactly `types`, newest first.
    private func waitForTypes(_ server: ServerHarness, _ query: String, _ types: [String]) async throws -> [JSONValue] {
        try await eventually("events \(types) for \(query)") { () -> [JSONValue]? in
            let found = try await entries(server, query)
            return found.compactMap { $0["type"]?.stringValue } == types ? found : nil
        }
    }

    private func start(_ server: ServerHarness, _ dag: String) async throws -> String {
        let reply = try await server.request("POST", "/api/v1/dags/\(dag)/start", body: "{}")
        #expect(reply.status == 200, "\(reply.text)")
        return try #require(reply.json?["dagRunId"]?.stringValue)
    }

    private func finished(_ server: ServerHarness, _ dag: String, _ id: String) async throws -> JSONValue {
        try await eventually("run \(id) to finish") { () -> JSONValue? in
            let run = try await server.request("GET", "/api/v1/dag-runs/\(dag)/\(id)").json?["dagRunDetails"]
            guard let status = run?["status"]?.intValue, ![0, 1, 5].contains(status) else { return nil }
            return run
        }
    }

    @Test("a run started through the API: running and succeeded from its run agent; step patches from the server",
          .timeLimit(.minutes(2)))
    func agentAndServer() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let id = try await start(server, "hello")
        _ = try await finished(server, "hello", id)
        let found = try await waitForTypes(server, "dagRunId=\(id)", ["dag.run.succeeded", "dag.run.running"])
        let attempt = try #require(try server.home.latest(dag: "hello", runID: id)?.attemptId)
        for entry in found {
            #expect(entry["sourceService"] == "cli")
            #expect(entry["kind"] == "dag_run")
            #expect(entry["schemaVersion"] == 1)
            #expect(entry["dagName"] == "hello")
            #expect(entry["attemptId"] == .string(attempt))
            let instance = try #require(entry["sourceInstance"]?.stringValue)
            // The agent is another process than the server.
            #expect(instance.hasSuffix(":\(server.process.processIdentifier)") == false, "\(instance)")
            #expect(instance.split(separator: ":").last.flatMap { Int32($0) } != nil)
            #expect(entry["recordedAt"]?.stringValue?.hasSuffix("Z") == true)
            #expect(EventTime.parse(entry["occurredAt"]?.stringValue ?? "") != nil)
        }
        let succeeded = found[0]
        #expect(succeeded["status"] == "succeeded")
        #expect(succeeded["id"] == .string(EventID.stable(type: .succeeded, dagName: "hello", dagRunId: id, attemptId: attempt)))
        let status = try #require(succeeded["data"]?["dag_run_status"])
        #expect(status["status"] == 4)
        #expect(status["dag_run_id"] == .string(id))
        #expect(status["root"] == ["name": "hello", "dag_run_id": .string(id)])
        #expect(status["nodes"] == [["step_name": "a", "status": 4], ["step_name": "b", "status": 4]])
        #expect(status["finished_at"] != nil)
        #expect(found[1]["status"] == "running")

        // Patch a step: the run becomes failed (a lifecycle change), then another patch keeps it
        // failed (updated). Both written by the server process.
        let patchA = try await server.request("PATCH", "/api/v1/dag-runs/hello/\(id)/steps/a/status", body: "{\"status\": 2}")
        #expect(patchA.status == 200, "\(patchA.text)")
        let patchB = try await server.request("PATCH", "/api/v1/dag-runs/hello/\(id)/steps/b/status", body: "{\"status\": 2}")
        #expect(patchB.status == 200, "\(patchB.text)")
        let all = try await entries(server, "dagRunId=\(id)")
        #expect(all.compactMap { $0["type"]?.stringValue } == ["dag.run.updated", "dag.run.failed", "dag.run.succeeded", "dag.run.running"])
        #expect(all.prefix(2).allSatisfy { $0["sourceService"] == "server" })
        let serverPID = server.process.processIdentifier
        #expect(all[0]["sourceInstance"]?.stringValue?.hasSuffix(":\(serverPID)") == true)
        #expect(all[0]["id"]?.stringValue?.hasPrefix("dag_update_") == true)
        #expect(all[0]["status"] == "failed")
        #expect(all[0]["data"]?["dag_run_status"]?["nodes"] == [["step_name": "a", "status": 2], ["step_name": "b", "status": 2]])
        // Filters by type and attempt.
        #expect(try await entries(server, "type=dag.run.updated").count == 1)
        #expect(try await entries(server, "attemptId=\(attempt)&type=dag.run.running").count == 1)
        #expect(try await entries(server, "dagName=other").isEmpty)
        // Day file under data/events.
        let day = EventTime.day(EventTime.milliseconds(Date()))
        let files = try FileManager.default.contentsOfDirectory(atPath: server.home.dataDirectory + "/events")
        #expect(files.contains("\(day).jsonl") || files.count == 1, "\(files)")
    }

    @Test("start-all: enqueue through the API (server), dispatch (agent), dead-run repair by the scheduler's sweep",
          .timeLimit(.minutes(2)))
    func scheduler() async throws {
        let dead = RunRef(name: "victim", id: "dead1")
        let server = try ServerHarness(dags: ["hello": Self.hello, "victim": Self.hello], command: "start-all") { home in
            // A run that claims to be running, whose agent is gone: an exited process, a free lock.
            try FileManager.default.createDirectory(atPath: home.dataDirectory, withIntermediateDirectories: true)
            let store = FileRunStore(dataDirectory: home.dataDirectory, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let header = RunHeader(run: dead, createdAt: Date(), triggerType: .manual, queue: "victim")
            var snapshot = RunSnapshot(header: header, attemptId: "", status: .notStarted, log: "",
                                       nodes: [NodeRecord(name: "a", status: .running), NodeRecord(name: "b")])
            try store.createRun(header, spec: Self.hello, initial: snapshot)
            let exited = Process()
            exited.executableURL = URL(fileURLWithPath: "/bin/true")
            try exited.run()
            exited.waitUntilExit()
            snapshot.status = .running
            snapshot.startedAt = Date()
            snapshot.pid = exited.processIdentifier
            try store.append(snapshot, durability: .synced)
        }
        defer { server.stop() }
        let repaired = try await waitForTypes(server, "dagName=victim", ["dag.run.failed"])
        #expect(repaired[0]["sourceService"] == "scheduler")
        #expect(repaired[0]["dagRunId"] == "dead1")
        #expect(repaired[0]["data"]?["dag_run_status"]?["error"]?.stringValue?.hasPrefix("run agent exited unexpectedly") == true)

        let reply = try await server.request("POST", "/api/v1/dags/hello/enqueue", body: "{}")
        #expect(reply.status == 200, "\(reply.text)")
        let id = try #require(reply.json?["dagRunId"]?.stringValue)
        let found = try await waitForTypes(server, "dagRunId=\(id)", ["dag.run.succeeded", "dag.run.running", "dag.run.queued"])
        #expect(found.compactMap { $0["sourceService"]?.stringValue } == ["cli", "cli", "server"])
        #expect(found[2]["status"] == "queued")
        #expect(found[2]["data"]?["dag_run_status"]?["queued_at"] != nil)
    }

    @Test("enqueue and dequeue through the API (no scheduler): queued and aborted, both from the server")
    func serverQueue() async throws {
        let server = try ServerHarness(dags: ["hello": Self.hello])
        defer { server.stop() }
        let reply = try await server.request("POST", "/api/v1/dags/hello/enqueue", body: #"{"dagRunId": "q1"}"#)
        #expect(reply.status == 200, "\(reply.text)")
        let dequeued = try await server.request("POST", "/api/v1/dag-runs/hello/q1/dequeue")
        #expect(dequeued.status == 200, "\(dequeued.text)")
        let found = try await entries(server, "dagRunId=q1")
        #expect(found.compactMap { $0["type"]?.stringValue } == ["dag.run.aborted", "dag.run.queued"])
        #expect(found.allSatisfy { $0["sourceService"] == "server" })
        #expect(found.first?["status"] == "aborted")
        // Offset mode answers total; the same entries in cursor mode have no total and no next page.
        let page = try await server.request("GET", "/api/v1/event-logs?dagRunId=q1&limit=1")
        #expect(page.json?["total"] == 2)
        let cursor = try await server.request("GET", "/api/v1/event-logs?dagRunId=q1&paginationMode=cursor")
        #expect(cursor.json?["total"] == nil && cursor.json?["nextCursor"] == nil)
        #expect(cursor.json?["entries"]?.arrayValue?.count == 2)
    }

    @Test("the CLI writes as cli: trellis enqueue and dequeue")
    func cli() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("hello", Self.hello)
        #expect(try home.trellis(["enqueue", "-q", "-r", "q1", "hello"]).status == 0)
        #expect(try home.trellis(["dequeue", "hello", "--dag-run", "hello:q1"]).status == 0)
        let reader = FileEventReader(log: FileEventLog(dataDirectory: home.dataDirectory, logger: Logger(label: "test")))
        let page = try reader.page(EventQuery(filter: EventFilter(dagRunId: "q1")))
        #expect(page.entries.map(\.type) == ["dag.run.aborted", "dag.run.queued"])
        #expect(page.entries.allSatisfy { $0.sourceService == "cli" })
        #expect(page.entries[0].data?["dag_run_status"]?["error"] == "dequeued")
        // Disabled through the environment: nothing more is written.
        #expect(try home.trellis(["enqueue", "-q", "-r", "q2", "hello"], environment: ["TRELLIS_EVENTS_ENABLED": "false"]).status == 0)
        #expect(try reader.page(EventQuery(filter: EventFilter(dagRunId: "q2"))).total == 0)
    }

    @Test("the server deletes day files older than events.retention_days (trellis.yaml) when it starts", .timeLimit(.minutes(2)))
    func retention() async throws {
        let now = EventTime.milliseconds(Date())
        let old = EventTime.day(now - 10 * 86_400_000), kept = EventTime.day(now - 2 * 86_400_000)
        let server = try ServerHarness { home in
            try home.dir.write("trellis.yaml", "events:\n  retention_days: 5\n")
            let log = FileEventLog(dataDirectory: home.dataDirectory, logger: Logger(label: "test"))
            for (id, day) in [("dag_old", old), ("dag_kept", kept)] {
                let at = EventTime.startOfDay(day)! + 3_600_000
                try log.append(EventLogEntry(id: id, occurredAt: at, recordedAt: at, type: "dag.run.running", sourceService: "cli"),
                               durability: .batched)
            }
        }
        defer { server.stop() }
        let directory = server.home.dataDirectory + "/events"
        _ = try await eventually("the expired day file to go") { () -> Bool? in
            FileManager.default.fileExists(atPath: "\(directory)/\(old).jsonl") ? nil : true
        }
        #expect(FileManager.default.fileExists(atPath: "\(directory)/\(kept).jsonl"))
        #expect(try await entries(server, "").compactMap { $0["id"]?.stringValue } == ["dag_kept"])
    }

    @Test("events.enabled: false in trellis.yaml turns the CLI's events off too")
    func cliConfigFile() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("hello", Self.hello)
        try home.dir.write("trellis.yaml", "events:\n  enabled: false\n")
        #expect(try home.trellis(["enqueue", "-q", "-r", "q1", "hello"]).status == 0)
        #expect(try home.latest(dag: "hello", runID: "q1")?.status == .queued)
        #expect(!FileManager.default.fileExists(atPath: home.dataDirectory + "/events"))
    }

    @Test("503 internal_error when events.enabled is false; the run agents write nothing either", .timeLimit(.minutes(2)))
    func disabled() async throws {
        let server = try ServerHarness(environment: ["TRELLIS_EVENTS_ENABLED": "false"], dags: ["hello": Self.hello])
        defer { server.stop() }
        let reply = try await server.request("GET", "/api/v1/event-logs")
        #expect(reply.status == 503)
        #expect(reply.json?["code"] == "internal_error")
        #expect(reply.json?["message"] == "Event logging is not configured")
        let id = try await start(server, "hello")
        _ = try await finished(server, "hello", id)
        #expect(!FileManager.default.fileExists(atPath: server.home.dataDirectory + "/events"))
    }
}
