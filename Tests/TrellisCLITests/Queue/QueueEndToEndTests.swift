import Foundation
import Testing
import TrellisCore
import TrellisStore

/// Queues end to end (format §14) through a real `trellis start-all`: runs enqueued with
/// `trellis enqueue` or the REST API, dispatched by its scheduler into detached run agents.
///
/// Concurrency is measured twice, from sources that are each exact: the steps' own clock
/// (`date +%s%N` written at the start and end of each step) and the runs' stored `startedAt` /
/// `finishedAt` (a run's final snapshot is written before its lock is released, and only a free
/// slot lets the next run start).
@Suite("Queues end to end: start-all, FIFO, global queue concurrency, concurrent enqueues", .serialized)
struct QueueEndToEndTests {
    /// `start <run> <ns>` / `end <run> <ns>` lines written by the steps, in time order.
    struct StepEvent {
        var isStart: Bool
        var run: String
        var time: Int
    }

    static func stepEvents(_ path: String) throws -> [StepEvent] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, let time = Int(parts[2]) else { throw QueueTestFailure("bad step record \(line)") }
            return StepEvent(isStart: parts[0] == "start", run: String(parts[1]), time: time)
        }.sorted { $0.time < $1.time }
    }

    /// The most events open at once (an end at the same instant as a start counts first).
    static func mostAtOnce(_ intervals: [(start: Date, end: Date)]) -> Int {
        let events = intervals.flatMap { [($0.start, 1), ($0.end, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var open = 0
        var most = 0
        for (_, delta) in events {
            open += delta
            most = max(most, open)
        }
        return most
    }

    static func mostAtOnce(_ events: [StepEvent]) -> Int {
        var open = 0
        var most = 0
        for event in events {
            open += event.isStart ? 1 : -1
            most = max(most, open)
        }
        return most
    }

    /// The records of `data/queues/<queue>.jsonl`.
    static func queueRecords(_ home: EngineHarness, _ queue: String) throws -> [QueueRecord] {
        try queueFileRecords(home.dataDirectory + "/queues/\(queue).jsonl")
    }

    /// The run IDs of `GET /queues/<queue>/items` (queued runs, FIFO).
    static func queuedItems(_ server: StartAllHarness, _ queue: String) async throws -> [String] {
        let reply = try await server.request("GET", "/api/v1/queues/\(queue)/items?limit=500")
        #expect(reply.status == 200, "\(reply.text)")
        return reply.json?["items"]?.arrayValue?.compactMap { $0["dagRunId"]?.stringValue } ?? []
    }

    /// Holds the scheduler lock of `home` so that a `start-all` started now serves the API while
    /// its scheduler waits as a standby; release the lock to let it dispatch.
    static func holdSchedulerLock(_ home: EngineHarness) throws -> SchedulerLock {
        try FileManager.default.createDirectory(atPath: home.dataDirectory, withIntermediateDirectories: true)
        let lock = SchedulerLock(dataDirectory: home.dataDirectory)
        guard try lock.tryAcquire() else { throw QueueTestFailure("the scheduler lock of a fresh home is held") }
        return lock
    }

    @Test("max_active_runs 1: ten enqueued runs run one at a time, in enqueue order, with no overlap",
          .timeLimit(.minutes(3)))
    func serialFIFO() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let times = home.path("times.log")
        try home.dag("serial", """
            max_active_runs: 1
            steps:
              - name: work
                command: 'echo "start $DAG_RUN_ID $(date +%s%N)" >> \(times); sleep 0.2; echo "end $DAG_RUN_ID $(date +%s%N)" >> \(times)'
            """)
        let ids = (1...10).map { String(format: "s%02d", $0) }
        for id in ids {
            let output = try home.trellis(["enqueue", "-r", id, "serial"])
            #expect(output.status == 0, "\(output.stderr)")
        }

        let lock = try Self.holdSchedulerLock(home)
        let server = try StartAllHarness(home: home)
        defer { server.stop() }
        try await server.waitForOutput("waiting as standby")
        // Before dispatch: the API lists the ten runs queued, in enqueue order, none running.
        #expect(try await Self.queuedItems(server, "serial") == ids)
        let counts = try await server.queueCounts("serial")
        #expect(counts?.running == 0 && counts?.queued == 10)

        lock.release()
        try await server.waitForOutput("trellis scheduler is the leader")
        var finals: [RunSnapshot] = []
        for id in ids { finals.append(try await server.ended("serial", id, within: 120)) }
        for final in finals {
            #expect(final.status == .succeeded, "\(final.run.id): \(final.error ?? "")")
            #expect(final.queuedAt != nil)
        }

        // The steps' clock: start, end, start, end… in enqueue order; each start after the
        // previous end.
        let events = try Self.stepEvents(times)
        #expect(events.count == 20)
        #expect(events.map(\.isStart) == Array(repeating: [true, false], count: 10).flatMap { $0 })
        #expect(events.filter(\.isStart).map(\.run) == ids)
        for index in stride(from: 1, to: events.count, by: 2) {
            #expect(events[index].run == events[index - 1].run, "a step of \(events[index - 1].run) was interleaved with \(events[index].run)")
        }
        #expect(Self.mostAtOnce(events) == 1)

        // The runs' stored times: each starts after the previous one finished.
        for (previous, next) in zip(finals, finals.dropFirst()) {
            let finished = try #require(previous.finishedAt)
            let started = try #require(next.startedAt)
            #expect(started >= finished, "\(next.run.id) started at \(started) before \(previous.run.id) finished at \(finished)")
        }

        // The queue file: claims in enqueue order, a done for every run, nothing dropped.
        try await QueueTestWait.until("the done of \(ids.last!)") {
            try Self.queueRecords(home, "serial").contains { $0.op == .done && $0.runId == ids.last } ? true : nil
        }
        let records = try Self.queueRecords(home, "serial")
        #expect(records.filter { $0.op == .enqueue }.map(\.runId) == ids)
        #expect(records.filter { $0.op == .claim }.map(\.runId) == ids)
        #expect(Set(records.filter { $0.op == .done }.map(\.runId)) == Set(ids))
        #expect(!records.contains { $0.op == .drop })
        // The drained queue is no longer listed (a DAG's own queue with nothing running or queued).
        #expect(try await server.request("GET", "/api/v1/queues/serial").status == 404)
    }

    @Test("a global queue with max_concurrency 3 shared by three DAGs: nine runs, never more than three at once, FIFO across DAGs, all finish",
          .timeLimit(.minutes(3)))
    func globalQueueConcurrency() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dir.write("trellis.yaml", "queues:\n  - name: shared\n    max_concurrency: 3\n")
        let times = home.path("times.log")
        // The first three runs wait (bounded) until three steps have started, so they certainly
        // run together and hold all three slots for a while: a fourth slot would be used at once.
        let first = ["a1", "b1", "c1"]
        let barrier = first.map { "[ \"$DAG_RUN_ID\" = \($0) ]" }.joined(separator: " || ")
        let step = """
            echo "start $DAG_RUN_ID $(date +%s%N)" >> \(times); \
            if \(barrier); then i=0; while [ "$(grep -c ^start \(times))" -lt 3 ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i+1)); done; fi; \
            sleep 0.3; echo "end $DAG_RUN_ID $(date +%s%N)" >> \(times)
            """
        for dag in ["a", "b", "c"] {
            try home.dag(dag, "queue: shared\nsteps:\n  - name: work\n    command: '\(step)'\n")
        }
        let runs = (1...3).flatMap { n in ["a", "b", "c"].map { (dag: $0, id: "\($0)\(n)") } }
        for run in runs {
            let output = try home.trellis(["enqueue", "-r", run.id, run.dag])
            #expect(output.status == 0, "\(output.stderr)")
        }

        let lock = try Self.holdSchedulerLock(home)
        let server = try StartAllHarness(home: home)
        defer { server.stop() }
        try await server.waitForOutput("waiting as standby")
        let queue = try await server.request("GET", "/api/v1/queues/shared")
        #expect(queue.json?["type"] == .string("global"))
        #expect(queue.json?["maxConcurrency"] == .integer(3))
        #expect(queue.json?["queuedCount"] == .integer(9))
        #expect(try await Self.queuedItems(server, "shared") == runs.map(\.id))

        lock.release()
        var finals: [RunSnapshot] = []
        for run in runs { finals.append(try await server.ended(run.dag, run.id, within: 120)) }
        for final in finals {
            #expect(final.status == .succeeded, "\(final.run.id): \(final.error ?? "")")
            #expect(final.queue == "shared")
        }

        let events = try Self.stepEvents(times)
        #expect(events.count == 18)
        #expect(Self.mostAtOnce(events) == 3)
        #expect(Set(events.filter(\.isStart).prefix(3).map(\.run)) == Set(first))
        let intervals = try finals.map { (start: try #require($0.startedAt), end: try #require($0.finishedAt)) }
        #expect(Self.mostAtOnce(intervals) <= 3)

        try await QueueTestWait.until("the done of every run") {
            Set(try Self.queueRecords(home, "shared").filter { $0.op == .done }.map(\.runId)).count == 9 ? true : nil
        }
        let records = try Self.queueRecords(home, "shared")
        #expect(records.filter { $0.op == .claim }.map(\.runId) == runs.map(\.id))
        #expect(!records.contains { $0.op == .drop })
        // The DAGs' own queues were never used.
        for dag in ["a", "b", "c"] {
            #expect(!FileManager.default.fileExists(atPath: home.dataDirectory + "/queues/\(dag).jsonl"))
        }
        let after = try await server.request("GET", "/api/v1/queues/shared")
        #expect(after.json?["queuedCount"] == .integer(0))
    }

    @Test("100 concurrent POST /dags/{fileName}/enqueue: 100 distinct run IDs, all dispatched once and succeeded",
          .timeLimit(.minutes(4)))
    func concurrentHTTPEnqueues() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let limit = 25
        try home.dag("burst", "max_active_runs: \(limit)\nsteps:\n  - {name: a, command: 'true'}\n")
        let server = try StartAllHarness(home: home)
        defer { server.stop() }
        try await server.waitForOutput("trellis scheduler is the leader")

        let replies = try await withThrowingTaskGroup(of: StartAllHarness.Reply.self) { group in
            for _ in 0..<100 {
                group.addTask { try await server.request("POST", "/api/v1/dags/burst/enqueue", body: "{}") }
            }
            var replies: [StartAllHarness.Reply] = []
            for try await reply in group { replies.append(reply) }
            return replies
        }
        #expect(replies.count == 100)
        for reply in replies where reply.status != 200 {
            Issue.record("enqueue answered \(reply.status): \(reply.text)")
        }
        let ids = replies.compactMap { $0.json?["dagRunId"]?.stringValue }
        #expect(ids.count == 100)
        #expect(Set(ids).count == 100)

        var finals: [RunSnapshot] = []
        for id in ids { finals.append(try await server.ended("burst", id, within: 180)) }
        for final in finals {
            #expect(final.status == .succeeded, "\(final.run.id): \(final.error ?? "")")
            #expect(final.queuedAt != nil && final.startedAt != nil)
            #expect(final.triggerType == .manual)
        }
        let intervals = try finals.map { (start: try #require($0.startedAt), end: try #require($0.finishedAt)) }
        #expect(Self.mostAtOnce(intervals) <= limit)

        // The queue file: each run enqueued and claimed exactly once, and done; nothing dropped.
        // (A run's `done` may appear twice: the dispatcher settles a claimed run it sees ended,
        // and the agent appends its own while the queue still holds items.)
        try await QueueTestWait.until("the done of every run") {
            Set(try Self.queueRecords(home, "burst").filter { $0.op == .done }.map(\.runId)).count == 100 ? true : nil
        }
        let records = try Self.queueRecords(home, "burst")
        for op in [QueueRecord.Op.enqueue, .claim] {
            let runs = records.filter { $0.op == op }.map(\.runId)
            #expect(runs.count == 100 && Set(runs) == Set(ids), "\(op.rawValue): \(runs.count) records")
        }
        #expect(Set(records.filter { $0.op == .done }.map(\.runId)) == Set(ids))
        #expect(!records.contains { $0.op == .drop })
        // Every run is listed once by the API.
        let listed = try await server.request("GET", "/api/v1/dag-runs?name=burst&limit=200")
        let listedIDs = listed.json?["dagRuns"]?.arrayValue?.compactMap { $0["dagRunId"]?.stringValue } ?? []
        #expect(Set(listedIDs) == Set(ids), "\(listed.status): \(listedIDs.count) listed")
    }
}
