import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// Enqueue and dequeue over the file stores (format §14.3, §14.4).
@Suite("Run queueing")
struct RunQueueingTests {
    struct Setup {
        let directory = TemporaryDirectory()
        let clock = TestClock()
        let runs: FileRunStore
        let queues: FileQueueStore
        let queueing: RunQueueing

        init(globalQueues: [QueueConfig] = [QueueConfig(name: "shared", maxConcurrency: 2)]) {
            runs = FileRunStore(dataDirectory: directory.path + "/data", now: clock.function, logger: StoreFixtures.quietLogger)
            queues = FileQueueStore(dataDirectory: directory.path + "/data", logger: StoreFixtures.quietLogger)
            queueing = RunQueueing(reader: runs, writer: runs, queues: queues, globalQueues: globalQueues, now: clock.function)
        }

        func dag(_ text: String, name: String = "etl") throws -> DAG {
            let loaded = DAGLoader.load(text: text, fileName: name + ".yaml")
            return try #require(loaded.dag, "\(loaded.errors)")
        }

        func request(_ dag: DAG, id: String? = nil, queue: String? = nil, params: String? = nil) throws -> EnqueueRequest {
            let resolved = try ParamResolver.resolve(dag.params, overrides: params.map { .text($0) } ?? .none).get()
            return EnqueueRequest(dag: dag, spec: "spec of \(dag.name)", runID: id, params: resolved, labels: ["Extra"],
                                  queue: queue, sourceFileName: dag.name)
        }
    }

    static let etl = "labels: [team]\nparams: [DAY=today]\nsteps:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true'}\n"

    @Test("enqueue stores a queued run with queuedAt, manual trigger, params and labels, then an enqueue record")
    func enqueue() throws {
        let setup = Setup()
        let dag = try setup.dag(Self.etl)
        let snapshot = try setup.queueing.enqueue(try setup.request(dag, id: "r1", params: "DAY=monday"))
        #expect(snapshot.status == .queued)
        #expect(snapshot.queuedAt == setup.clock.now)
        #expect(snapshot.nodes.map(\.name) == ["a", "b"])
        let run = RunRef(name: "etl", id: "r1")
        let header = try #require(try setup.runs.header(of: run))
        #expect(header.triggerType == .manual)
        #expect(header.queue == "etl")
        #expect(header.params == "DAY=monday")
        #expect(header.labels == ["team", "extra"])
        #expect(header.sourceFileName == "etl")
        #expect(try setup.runs.spec(of: run) == "spec of etl")
        #expect(try setup.runs.latestSnapshot(of: run)?.status == .queued)
        #expect(try setup.runs.runs(dagName: "etl", limit: 5, cursor: nil).entries.map(\.status) == [.queued])
        let state = try setup.queues.state(of: "etl")
        #expect(state.open.map(\.run) == [run])
        #expect(state.open.first?.priority == .low)
        #expect(try setup.queueing.queuedRuns(of: "etl").map(\.run) == [run])
    }

    @Test("a taken run ID is an error and appends nothing")
    func runExists() throws {
        let setup = Setup()
        let dag = try setup.dag(Self.etl)
        _ = try setup.queueing.enqueue(try setup.request(dag, id: "same"))
        #expect(throws: QueueingError(.runExists, "dag-run ID same already exists for DAG etl")) {
            try setup.queueing.enqueue(try setup.request(dag, id: "same"))
        }
        #expect(try setup.queues.state(of: "etl").count == 1)
    }

    @Test("which queue: the DAG's queue: (declared or not), its own, or a requested global one; others refused")
    func queueChoice() throws {
        let setup = Setup()
        let own = try setup.dag(Self.etl)
        let inGlobal = try setup.dag("queue: shared\nsteps: ['true']\n", name: "g")
        let undeclared = try setup.dag("queue: adhoc\nsteps: ['true']\n", name: "u")
        #expect(try setup.queueing.queueName(for: own, requested: nil) == "etl")
        #expect(try setup.queueing.queueName(for: own, requested: "") == "etl")
        #expect(try setup.queueing.queueName(for: own, requested: "shared") == "shared")
        #expect(try setup.queueing.queueName(for: inGlobal, requested: nil) == "shared")
        #expect(try setup.queueing.queueName(for: inGlobal, requested: "g") == "g")
        #expect(try setup.queueing.queueName(for: undeclared, requested: nil) == "adhoc")
        #expect(throws: QueueingError(.invalidQueue, "queue other is not a global queue or the own queue of DAG etl")) {
            try setup.queueing.queueName(for: own, requested: "other")
        }
        let queued = try setup.queueing.enqueue(try setup.request(undeclared, id: "u1"))
        #expect(queued.queue == "adhoc")
        #expect(try setup.queues.state(of: "adhoc").open.map(\.run.id) == ["u1"])
    }

    @Test("dequeue: the run becomes aborted with error dequeued and a dequeue record is appended")
    func dequeue() throws {
        let setup = Setup()
        let dag = try setup.dag(Self.etl)
        _ = try setup.queueing.enqueue(try setup.request(dag, id: "r1"))
        _ = try setup.queueing.enqueue(try setup.request(dag, id: "r2"))
        setup.clock.advance(seconds: 5)
        let run = RunRef(name: "etl", id: "r1")
        let aborted = try setup.queueing.dequeue(run)
        #expect(aborted.status == .aborted)
        #expect(aborted.error == "dequeued")
        #expect(aborted.finishedAt == setup.clock.now)
        let stored = try #require(try setup.runs.latestSnapshot(of: run))
        #expect(stored.status == .aborted)
        #expect(stored.error == "dequeued")
        #expect(try setup.queues.state(of: "etl").open.map(\.run.id) == ["r2"])
        let last = try String(contentsOfFile: try setup.queues.path(of: "etl"), encoding: .utf8).split(separator: "\n").last
        #expect(last?.contains(#""op":"dequeue""#) == true)
        #expect(throws: QueueingError(.notQueued(.aborted), "dag-run is not queued (status: aborted)")) {
            try setup.queueing.dequeue(run)
        }
        #expect(throws: QueueingError(.notFound, "dag-run ID ghost not found for DAG etl")) {
            try setup.queueing.dequeue(RunRef(name: "etl", id: "ghost"))
        }
    }

    @Test("a claimed or running item cannot be dequeued")
    func claimed() throws {
        let setup = Setup()
        let dag = try setup.dag(Self.etl)
        _ = try setup.queueing.enqueue(try setup.request(dag, id: "r1"))
        let run = RunRef(name: "etl", id: "r1")
        try setup.queues.append(QueueRecord(.claim, run, at: setup.clock.now), to: "etl")
        #expect(throws: QueueingError.self) { try setup.queueing.dequeue(run) }
        do {
            _ = try setup.queueing.dequeue(run)
        } catch {
            #expect(error.code == .dispatching)
        }
        #expect(try setup.runs.latestSnapshot(of: run)?.status == .queued)
    }

    @Test("dequeue of a queue: its head, skipping stale items; a named run must be in that queue")
    func dequeueHead() throws {
        let setup = Setup()
        let dag = try setup.dag(Self.etl)
        for id in ["r1", "r2", "r3"] { _ = try setup.queueing.enqueue(try setup.request(dag, id: id, queue: "shared")) }
        // r1 left `queued` without a queue record (a crash): it is skipped.
        var r1 = try #require(try setup.runs.latestSnapshot(of: RunRef(name: "etl", id: "r1")))
        r1.status = .failed
        try setup.runs.append(r1, durability: .synced)
        #expect(try setup.queueing.dequeue(from: "shared", run: nil).run.id == "r2")
        #expect(throws: QueueingError(.otherQueue, "dag-run r3 of DAG etl is in queue shared, not etl")) {
            try setup.queueing.dequeue(from: "etl", run: RunRef(name: "etl", id: "r3"))
        }
        #expect(try setup.queueing.dequeue(from: "shared", run: RunRef(name: "etl", id: "r3")).status == .aborted)
        #expect(throws: QueueingError(.empty, "queue shared has no queued dag-run")) {
            try setup.queueing.dequeue(from: "shared", run: nil)
        }
        #expect(try setup.queueing.queuedRuns(of: "shared").isEmpty)
    }
}
