import Foundation
import Testing
import TrellisCore
import TrellisStore

/// Queues (format §14): `trellis enqueue`/`dequeue` and the API's enqueue, dequeue, stop of a
/// queued run and queue endpoints (API §4.10, §6.3, §6.6, §6.8, §7), over a real server.
@Suite("Queues: CLI and REST API")
struct APIQueueTests {
    static let etl = "labels: [team]\nparams: [DAY=today]\nsteps:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true'}\n"
    static let slow = "steps:\n  - {name: wait, command: 'sleep 300'}\n"
    static let shared = "queue: shared\nsteps:\n  - {name: a, command: 'true'}\n"
    static let config = "queues:\n  - name: shared\n    max_concurrency: 3\n"

    /// A config file declaring the global queue `shared`, outside the home.
    private func configFile() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        try directory.write("trellis.yaml", Self.config)
        return (directory, directory.url.appendingPathComponent("trellis.yaml").path)
    }

    private func object(_ reply: ServerHarness.Reply) throws -> JSONObject {
        guard case .object(let object)? = reply.json else {
            Issue.record("not a JSON object (\(reply.status)): \(reply.text)")
            return JSONObject([])
        }
        return object
    }


    private func ids(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap { $0["dagRunId"]?.stringValue } ?? []
    }

    private func queueRecords(_ home: EngineHarness, _ queue: String) throws -> [String] {
        let path = home.dataDirectory + "/queues/\(queue).jsonl"
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    // MARK: - CLI

    @Test("trellis enqueue prints the run ID of a queued run; trellis dequeue removes that run or the head")
    func cli() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("etl", Self.etl)
        try home.dag("g", Self.shared)
        let (configDirectory, config) = try configFile()
        defer { configDirectory.remove() }
        let env = ["TRELLIS_CONFIG": config]

        let first = try home.trellis(["enqueue", "etl", "--", "DAY=monday"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        let id1 = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let queued = try #require(try home.latest(dag: "etl", runID: id1))
        #expect(queued.status == .queued)
        #expect(queued.queuedAt != nil)
        #expect(queued.triggerType == .manual)
        #expect(queued.params == "DAY=monday")
        #expect(queued.nodes.map(\.name) == ["a", "b"])
        #expect(try queueRecords(home, "etl").count == 1)

        #expect(try home.trellis(["enqueue", "-r", "r2", "-p", "DAY=tuesday", "etl"], environment: env).stdout == "r2\n")
        let taken = try home.trellis(["enqueue", "-r", "r2", "etl"], environment: env)
        #expect(taken.status == 2)
        #expect(taken.stderr.contains("dag-run ID r2 already exists for DAG etl"))
        let badQueue = try home.trellis(["enqueue", "-u", "nope", "etl"], environment: env)
        #expect(badQueue.status == 2)
        #expect(badQueue.stderr.contains("queue nope is not a global queue"))
        let global = try home.trellis(["enqueue", "-u", "shared", "-r", "r3", "etl"], environment: env)
        #expect(global.status == 0, "\(global.stderr)")
        #expect(try home.latest(dag: "etl", runID: "r3")?.queue == "shared")
        #expect(try home.trellis(["enqueue", "-r", "g1", "g"], environment: env).status == 0)
        #expect(try home.latest(dag: "g", runID: "g1")?.queue == "shared")

        // The head of etl's own queue, then a named run.
        let head = try home.trellis(["dequeue", "etl"])
        #expect(head.status == 0, "\(head.stderr)")
        #expect(head.stdout == "dequeued: etl \(id1)\n")
        let aborted = try #require(try home.latest(dag: "etl", runID: id1))
        #expect(aborted.status == .aborted)
        #expect(aborted.error == "dequeued")
        #expect(try queueRecords(home, "etl").last?.contains(#""op":"dequeue""#) == true)
        #expect(try home.trellis(["dequeue", "shared", "--dag-run", "g:g1"]).status == 0)
        #expect(try home.latest(dag: "g", runID: "g1")?.status == .aborted)
        let wrongQueue = try home.trellis(["dequeue", "etl", "--dag-run", "etl:r3"])
        #expect(wrongQueue.status == 1)
        #expect(wrongQueue.stderr.contains("is in queue shared, not etl"))
        let again = try home.trellis(["dequeue", "shared", "--dag-run", "g:g1"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("dag-run is not queued (status: aborted)"))
        #expect(try home.trellis(["dequeue", "etl"]).status == 0)
        let empty = try home.trellis(["dequeue", "etl"])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("queue etl has no queued dag-run"))

        // `trellis stop` of a queued run dequeues it (§10.2).
        #expect(try home.trellis(["enqueue", "-r", "r9", "etl"], environment: env).status == 0)
        let stopped = try home.trellis(["stop", "etl", "-r", "r9"])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.stdout == "dequeued: etl r9\n")
        #expect(try home.latest(dag: "etl", runID: "r9")?.error == "dequeued")
    }

    // MARK: - API

    @Test("POST /dags/{fileName}/enqueue persists a queued run; checks queue, singleton, run ID; queue endpoints list it")
    func enqueueAndQueues() async throws {
        let (configDirectory, config) = try configFile()
        defer { configDirectory.remove() }
        let server = try ServerHarness(environment: ["TRELLIS_CONFIG": config], dags: ["etl": Self.etl, "g": Self.shared])
        defer { server.stop() }

        let enqueued = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: #"{"dagRunId": "q1", "params": "DAY=friday", "labels": ["Extra"]}"#)
        #expect(enqueued.status == 200, "\(enqueued.text)")
        #expect(try object(enqueued)["dagRunId"] == .string("q1"))
        let details = try object(try await server.request("GET", "/api/v1/dag-runs/etl/q1"))["dagRunDetails"]
        #expect(details?["status"] == .integer(5))
        #expect(details?["statusLabel"] == .string("queued"))
        #expect(details?["queuedAt"]?.stringValue?.isEmpty == false)
        #expect(details?["startedAt"] == .string(""))
        #expect(details?["triggerType"] == .string("manual"))
        #expect(details?["params"] == .string("DAY=friday"))
        #expect(details?["labels"] == .array([.string("team"), .string("extra")]))
        #expect(details?["nodes"]?.arrayValue?.count == 2)

        let generated = try object(try await server.request("POST", "/api/v1/dags/etl/enqueue", body: ""))
        let q2 = try #require(generated["dagRunId"]?.stringValue)
        #expect(q2.count == 36)

        // Checks, in the order of §4.8.
        let unknown = try await server.request("POST", "/api/v1/dags/ghost/enqueue")
        #expect(unknown.status == 404)
        #expect(try object(unknown)["message"] == .string("DAG ghost not found"))
        let badParams = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: #"{"params": "NOPE=1"}"#)
        #expect(badParams.status == 400)
        let badQueue = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: #"{"queue": "elsewhere"}"#)
        #expect(badQueue.status == 400)
        #expect(try object(badQueue)["code"] == .string("bad_request"))
        let notString = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: #"{"queue": 3}"#)
        #expect(notString.status == 400)
        let singleton = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: #"{"singleton": true}"#)
        #expect(singleton.status == 409)
        #expect(try object(singleton)["code"] == .string("already_exists"))
        #expect(try object(singleton)["message"] == .string("DAG etl is already in queue (singleton mode)"))
        let taken = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: #"{"dagRunId": "q1"}"#)
        #expect(taken.status == 409)
        #expect(try object(taken)["message"] == .string("dag-run ID q1 already exists for DAG etl"))
        let toGlobal = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: #"{"dagRunId": "q3", "queue": "shared"}"#)
        #expect(toGlobal.status == 200)
        let ownName = try await server.request("POST", "/api/v1/dags/g/enqueue", body: #"{"dagRunId": "g1", "queue": "g"}"#)
        #expect(ownName.status == 200)

        // GET /queues: the declared global queue and etl's own queue, sorted by name.
        let queues = try object(try await server.request("GET", "/api/v1/queues"))
        let list = queues["queues"]?.arrayValue ?? []
        #expect(list.compactMap { $0["name"]?.stringValue } == ["etl", "g", "shared"])
        let etl = try #require(list.first)
        #expect(etl["type"] == .string("dag-based"))
        #expect(etl["maxConcurrency"] == .integer(1))
        #expect(etl["queuedCount"] == .integer(2))
        #expect(etl["runningCount"] == .integer(0))
        #expect(etl["running"] == .array([]))
        #expect(list.last?["type"] == .string("global"))
        #expect(list.last?["maxConcurrency"] == .integer(3))
        #expect(list.last?["queuedCount"] == .integer(1))
        let summary = queues["summary"]
        #expect(summary?["totalQueues"] == .integer(3))
        #expect(summary?["totalQueued"] == .integer(4))
        #expect(summary?["totalRunning"] == .integer(0))
        #expect(summary?["totalCapacity"] == .integer(5))
        #expect(summary?["utilizationPercentage"] == .integer(0))

        let one = try object(try await server.request("GET", "/api/v1/queues/shared"))
        #expect(one["name"] == .string("shared"))
        #expect(one["queuedCount"] == .integer(1))
        let missing = try await server.request("GET", "/api/v1/queues/ghost")
        #expect(missing.status == 404)
        #expect(try object(missing)["message"] == .string("Queue \"ghost\" not found"))

        let items = try object(try await server.request("GET", "/api/v1/queues/etl/items"))
        #expect(ids(items["items"]) == ["q1", q2])
        #expect(items["nextCursor"] == nil)
        #expect(items["items"]?.arrayValue?.first?["statusLabel"] == .string("queued"))
        #expect(try object(try await server.request("GET", "/api/v1/queues/ghost/items"))["items"] == .array([]))

        // Queued runs survive a crash of the server.
        try server.crashAndRestart()
        #expect(ids(try object(try await server.request("GET", "/api/v1/queues/etl/items"))["items"]) == ["q1", q2])
    }

    @Test("queue items: FIFO pages with a cursor, the older page/perPage, bad cursors")
    func itemPages() async throws {
        let server = try ServerHarness(dags: ["etl": Self.etl])
        defer { server.stop() }
        for index in 1...5 {
            let reply = try await server.request("POST", "/api/v1/dags/etl/enqueue", body: "{\"dagRunId\": \"i\(index)\"}")
            #expect(reply.status == 200)
        }
        let first = try object(try await server.request("GET", "/api/v1/queues/etl/items?limit=2"))
        #expect(ids(first["items"]) == ["i1", "i2"])
        let cursor = try #require(first["nextCursor"]?.stringValue)
        // Removing an item of the first page does not shift the next one.
        #expect(try await server.request("GET", "/api/v1/dag-runs/etl/i2/dequeue").status == 200)
        let second = try object(try await server.request("GET", "/api/v1/queues/etl/items?limit=2&cursor=\(cursor)"))
        #expect(ids(second["items"]) == ["i3", "i4"])
        let third = try object(try await server.request("GET", "/api/v1/queues/etl/items?limit=2&cursor=\(try #require(second["nextCursor"]?.stringValue))"))
        #expect(ids(third["items"]) == ["i5"])
        #expect(third["nextCursor"] == nil)
        let garbled = try await server.request("GET", "/api/v1/queues/etl/items?cursor=xyz")
        #expect(garbled.status == 400)
        let otherType = try await server.request("GET", "/api/v1/queues/etl/items?type=running&cursor=\(cursor)")
        #expect(otherType.status == 400)
        let badType = try await server.request("GET", "/api/v1/queues/etl/items?type=done")
        #expect(badType.status == 400)

        let legacy = try object(try await server.request("GET", "/api/v1/queues/etl/items?page=2&perPage=3"))
        #expect(ids(legacy["items"]) == ["i5"])
        #expect(legacy["pagination"]?["totalRecords"] == .integer(4))
        #expect(legacy["pagination"]?["totalPages"] == .integer(2))
        #expect(legacy["pagination"]?["prevPage"] == .integer(1))
        #expect(ids(try object(try await server.request("GET", "/api/v1/queues/etl/items?limit=0"))["items"]).count == 4)
    }

    @Test("dequeue (GET and POST) and stop of a queued run abort it; a finished run is not queued; inline enqueue")
    func dequeueAndInline() async throws {
        let server = try ServerHarness(dags: ["etl": Self.etl])
        defer { server.stop() }
        for id in ["d1", "d2", "d3"] {
            #expect(try await server.request("POST", "/api/v1/dags/etl/enqueue", body: "{\"dagRunId\": \"\(id)\"}").status == 200)
        }
        let viaGet = try await server.request("GET", "/api/v1/dag-runs/etl/d1/dequeue")
        #expect(viaGet.status == 200)
        #expect(viaGet.body.isEmpty)
        let d1 = try object(try await server.request("GET", "/api/v1/dag-runs/etl/d1"))["dagRunDetails"]
        #expect(d1?["statusLabel"] == .string("aborted"))
        #expect(d1?["error"] == .string("dequeued"))
        #expect(try await server.request("POST", "/api/v1/dag-runs/etl/d2/dequeue").status == 200)
        let stop = try await server.request("POST", "/api/v1/dag-runs/etl/d3/stop")
        #expect(stop.status == 200)
        #expect(stop.body.isEmpty)
        #expect(try object(try await server.request("GET", "/api/v1/dag-runs/etl/d3"))["dagRunDetails"]?["status"] == .integer(3))

        let again = try await server.request("GET", "/api/v1/dag-runs/etl/d1/dequeue")
        #expect(again.status == 400)
        #expect(try object(again)["code"] == .string("bad_request"))
        #expect(try object(again)["message"] == .string("dag-run is not queued (status: aborted)"))
        let stopAgain = try await server.request("POST", "/api/v1/dag-runs/etl/d3/stop")
        #expect(stopAgain.status == 400)
        #expect(try object(stopAgain)["code"] == .string("not_running"))
        let unknown = try await server.request("GET", "/api/v1/dag-runs/etl/nope/dequeue")
        #expect(unknown.status == 404)
        #expect(try object(unknown)["message"] == .string("dag-run ID nope not found for DAG etl"))
        #expect(try object(try await server.request("GET", "/api/v1/queues"))["queues"] == .array([]))

        // Inline spec (§6.3): stored with the run, not in dags_dir.
        let inline = try await server.request("POST", "/api/v1/dag-runs/enqueue",
                                              body: #"{"spec": "steps:\n  - {name: x, command: 'true'}\n", "name": "adhoc", "dagRunId": "i1"}"#)
        #expect(inline.status == 200, "\(inline.text)")
        let run = try object(try await server.request("GET", "/api/v1/dag-runs/adhoc/i1"))["dagRunDetails"]
        #expect(run?["statusLabel"] == .string("queued"))
        #expect(run?["specFromFile"] == nil)
        #expect(ids(try object(try await server.request("GET", "/api/v1/queues/adhoc/items"))["items"]) == ["i1"])
        #expect(!FileManager.default.fileExists(atPath: server.home.home + "/dags/adhoc.yaml"))
        let nameless = try await server.request("POST", "/api/v1/dag-runs/enqueue", body: #"{"spec": "steps: ['true']\n"}"#)
        #expect(nameless.status == 400)
        #expect(try object(nameless)["message"] == .string("name is required when the spec has no name"))
        let invalid = try await server.request("POST", "/api/v1/dag-runs/enqueue", body: #"{"spec": "steps: [\n", "name": "x"}"#)
        #expect(invalid.status == 400)
        let inlineSingleton = try await server.request("POST", "/api/v1/dag-runs/enqueue",
                                                       body: #"{"spec": "name: adhoc\nsteps: ['true']\n", "singleton": true}"#)
        #expect(inlineSingleton.status == 409)

        // The CLI and the server share the queue files.
        let dequeued = try server.home.trellis(["dequeue", "adhoc"])
        #expect(dequeued.status == 0, "\(dequeued.stderr)")
        #expect(try object(try await server.request("GET", "/api/v1/dag-runs/adhoc/i1"))["dagRunDetails"]?["statusLabel"] == .string("aborted"))
    }

    @Test("a directly started run occupies its queue: listed as running; singleton enqueue is refused")
    func runningCount() async throws {
        let server = try ServerHarness(dags: ["slow": Self.slow])
        defer { server.stop() }
        #expect(try await server.request("POST", "/api/v1/dags/slow/start", body: #"{"dagRunId": "s1"}"#).status == 200)
        #expect(try await server.request("POST", "/api/v1/dags/slow/enqueue", body: #"{"dagRunId": "s2"}"#).status == 200)
        let queues = try object(try await server.request("GET", "/api/v1/queues"))
        let slow = try #require(queues["queues"]?.arrayValue?.first)
        #expect(slow["name"] == .string("slow"))
        #expect(slow["runningCount"] == .integer(1))
        #expect(slow["queuedCount"] == .integer(1))
        #expect(ids(slow["running"]) == ["s1"])
        #expect(slow["running"]?.arrayValue?.first?["statusLabel"] == .string("running"))
        #expect(queues["summary"]?["utilizationPercentage"] == .integer(100))
        let running = try object(try await server.request("GET", "/api/v1/queues/slow/items?type=running"))
        #expect(ids(running["items"]) == ["s1"])
        let singleton = try await server.request("POST", "/api/v1/dags/slow/enqueue", body: #"{"singleton": true}"#)
        #expect(singleton.status == 409)
        #expect(try object(singleton)["message"] == .string("DAG slow is already running (singleton mode)"))
        let notQueued = try await server.request("GET", "/api/v1/dag-runs/slow/s1/dequeue")
        #expect(notQueued.status == 400)
        #expect(try object(notQueued)["message"] == .string("dag-run is not queued (status: running)"))

        #expect(try await server.request("POST", "/api/v1/dag-runs/slow/s1/stop").status == 200)
        _ = try await eventually("s1 to end") {
            let reply = try object(try await server.request("GET", "/api/v1/dag-runs/slow/s1"))
            return reply["dagRunDetails"]?["status"] == .integer(3) ? true : nil
        }
        let after = try object(try await server.request("GET", "/api/v1/queues/slow"))
        #expect(after["runningCount"] == .integer(0))
        #expect(after["queuedCount"] == .integer(1))
    }
}
