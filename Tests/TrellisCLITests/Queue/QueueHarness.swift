import Foundation
import Logging
import TrellisCLI
import TrellisCatalog
import TrellisCore
import TrellisStore

/// A temporary Trellis home for queue dispatch tests: the real store, queue files and catalog,
/// `trellis enqueue` through the built binary, and the dispatcher and sweeper run in this
/// process with real detached `trellis start --queued` agents.
struct QueueHarness: RunWatching {
    let home: EngineHarness
    let store: FileRunStore
    let queues: FileQueueStore
    let catalog: FileDAGCatalog
    let logger: Logger

    init() throws {
        home = try EngineHarness()
        try FileManager.default.createDirectory(atPath: home.dataDirectory, withIntermediateDirectories: true)
        var logger = Logger(label: "trellis.test.queue")
        logger.logLevel = ProcessInfo.processInfo.environment["QUEUE_TEST_LOG"] == nil ? .critical : .debug
        self.logger = logger
        store = FileRunStore(dataDirectory: home.dataDirectory, logger: logger)
        queues = FileQueueStore(dataDirectory: home.dataDirectory, logger: logger)
        catalog = FileDAGCatalog(dagsDirectory: home.path("dags"), suspendDirectory: home.dataDirectory + "/suspend", logger: logger)
    }

    /// Writes `dags/<name>.yaml` and rescans the catalog.
    func dag(_ name: String, _ yaml: String) throws {
        try home.dag(name, yaml)
        try catalog.rescan()
    }

    /// `trellis enqueue -r <id> <dag>`.
    func enqueue(_ dag: String, _ runID: String) throws {
        let output = try home.trellis(["enqueue", "-q", "-r", runID, dag])
        guard output.status == 0 else { throw QueueTestFailure("enqueue \(runID) failed: \(output.stderr)") }
    }

    /// Detached `trellis start --queued` agents of the built binary (or `executable`).
    func starter(executable: String = BinaryRunner.binary.path, startDeadline: Duration = .seconds(10)) -> DetachedQueuedRunStarter {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("TRELLIS_") { environment[key] = nil }
        return DetachedQueuedRunStarter(
            executable: executable, globalArguments: ["--home", home.home, "--dags", home.path("dags"), "--data", home.dataDirectory],
            store: store, environment: environment.map { ($0.key, $0.value) }, logDirectory: home.dataDirectory + "/logs",
            startDeadline: startDeadline)
    }

    /// A dispatcher whose periodic pass is an hour away: every pass the tests see comes from a
    /// queue file change or a finished start.
    func dispatcher(starter: (any QueuedRunStarting)? = nil, globalQueues: [QueueConfig] = [],
                    maxReopens: Int = 2) -> QueueDispatcher {
        QueueDispatcher(store: store, queues: queues, catalog: catalog, globalQueues: globalQueues,
                        starter: starter ?? self.starter(), logger: logger, passInterval: .seconds(3600), maxReopens: maxReopens)
    }

    /// The global arguments that point an agent at this home (as the dispatcher passes them).
    var agentArguments: [String] {
        ["--home", home.home, "--dags", home.path("dags"), "--data", home.dataDirectory]
    }

    /// The records of `data/queues/<queue>.jsonl`.
    func records(_ queue: String) throws -> [QueueRecord] {
        try queueFileRecords(queues.directory + "/\(queue).jsonl")
    }

    /// Waits (bounded) until the queue file holds a record `op` of `runID`, and returns the
    /// records then: a run's final snapshot is written before its `done` or `drop`.
    @discardableResult
    func records(_ queue: String, once op: QueueRecord.Op, of runID: String) async throws -> [QueueRecord] {
        try await QueueTestWait.until("\(op.rawValue) of \(runID) in queue \(queue)") {
            let records = try records(queue)
            return records.contains { $0.op == op && $0.runId == runID } ? records : nil
        }
    }

    func remove() {
        store.close()
        home.remove()
    }
}

/// Runs long-lived services as child tasks while `body` runs, then cancels them and waits for
/// them to return (the services end on cancellation).
func withServices<T: Sendable>(_ services: [@Sendable () async throws -> Void],
                               _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for service in services { group.addTask { try await service() } }
        do {
            let result = try await body()
            group.cancelAll()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// The records of a queue file, each line decoded as the store wrote it.
func queueFileRecords(_ path: String) throws -> [QueueRecord] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = Timestamps.parse(text) else { throw QueueTestFailure("bad date \(text)") }
        return date
    }
    return try text.split(separator: "\n").map { try decoder.decode(QueueRecord.self, from: Data($0.utf8)) }
}

/// Bounded polling for an outcome in another process.
enum QueueTestWait {
    static func until<T>(_ what: String, seconds: Double = 90, every pause: Duration = .milliseconds(20),
                         _ probe: () throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try probe() { return value }
            try await Task.sleep(for: pause)
        }
        throw QueueTestFailure("timed out waiting for \(what)")
    }
}

struct QueueTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A test harness over a run store: the latest snapshot of a run, and a bounded wait for its end.
protocol RunWatching {
    var store: FileRunStore { get }
    /// How long ``ended(_:_:within:)`` waits by default.
    var endWait: Double { get }
}

extension RunWatching {
    var endWait: Double { 60 }

    func snapshot(_ dag: String, _ runID: String) throws -> RunSnapshot? {
        try store.latestSnapshot(of: RunRef(name: dag, id: runID))
    }

    /// Waits (bounded) until the run has ended.
    @discardableResult
    func ended(_ dag: String, _ runID: String, within seconds: Double? = nil) async throws -> RunSnapshot {
        try await QueueTestWait.until("run \(runID) of \(dag) to end", seconds: seconds ?? endWait) {
            guard let snapshot = try snapshot(dag, runID), !snapshot.status.isActive, snapshot.status != .notStarted else { return nil }
            return snapshot
        }
    }
}
