import Foundation
import Logging
@testable import TrellisCLI
import TrellisCatalog
import TrellisCore
import TrellisStore

/// A temp Trellis home with a real store, catalog and detached run control, and a scheduler
/// service whose ticks the test drives with ``SchedulerService/tick(at:)``.
struct SchedulerHarness {
    let directory: TemporaryDirectory
    let dags: String
    let data: String
    let store: FileRunStore
    let catalog: FileDAGCatalog
    let logger: Logger

    /// - Parameter events: whether the store writes lifecycle events (as the scheduler).
    init(events: Bool = false) throws {
        directory = try TemporaryDirectory()
        dags = directory.url.appendingPathComponent("dags").path
        data = directory.url.appendingPathComponent("data").path
        try FileManager.default.createDirectory(atPath: dags, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var logger = Logger(label: "trellis.test")
        logger.logLevel = .critical
        self.logger = logger
        store = FileRunStore(dataDirectory: data, logger: logger,
                             events: events ? EventRecorder(log: FileEventLog(dataDirectory: data, logger: logger), source: .scheduler) : nil)
        catalog = FileDAGCatalog(dagsDirectory: dags, suspendDirectory: data + "/suspend", logger: logger)
    }

    /// Writes `dags/<name>.yaml` and rescans the catalog.
    func write(_ name: String, _ text: String) throws {
        try directory.write("dags/\(name).yaml", text)
        try catalog.rescan()
    }

    var stateFile: SchedulerStateFile { SchedulerStateFile(dataDirectory: data) }

    /// A fresh service over the same folders, as after a restart.
    /// - Parameter runs: what the service reads runs through (the store when nil).
    func service(queues: [QueueConfig] = [], runs: (any RunReader)? = nil) -> SchedulerService {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("TRELLIS_") { environment[key] = nil }
        let control = DetachedRunControl(
            executable: BinaryRunner.binary.path, globalArguments: ["--home", directory.url.path, "--dags", dags, "--data", data],
            store: store, environment: environment.map { ($0.key, $0.value) }, logDirectory: data + "/logs",
            // The whole suite runs in parallel on 2 cores in CI: a first agent start of the debug
            // binary once took longer than the 10 s the product allows.
            startLimit: .seconds(60))
        let queueing = RunQueueing(reader: store, writer: store, queues: FileQueueStore(dataDirectory: data, logger: logger),
                                   globalQueues: queues)
        return SchedulerService(catalog: catalog, runs: runs ?? store, repairer: DeadRunRepairer(store: store), control: control,
                                queueing: queueing, stateFile: stateFile, lock: SchedulerLock(dataDirectory: data),
                                globalQueues: queues, zone: TimeZone(identifier: "UTC")!, logger: logger,
                                sleep: { _ in throw CancellationError() })
    }

    func runs(_ dag: String) throws -> [RunIndexEntry] {
        try store.runs(dagName: dag, limit: 100, cursor: nil).entries
    }

    /// Polls the store (bounded) until `run` has finished.
    @discardableResult
    func finished(_ run: RunRef) async throws -> RunSnapshot {
        try await eventually("run \(run.id) to finish") {
            guard let snapshot = try store.latestSnapshot(of: run), snapshot.finishedAt != nil,
                  snapshot.status != .running, snapshot.status != .queued else { return nil }
            return snapshot
        }
    }

    func remove() {
        store.close()
        directory.remove()
    }
}

/// Polls `probe` every 25 ms for an event of another process; gives up after 90 s (a bound
/// for a stuck test, not a timing assertion: it returns as soon as the event happens).
func eventually<T>(_ what: String, _ probe: () async throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(90)
    while Date() < deadline {
        if let value = try await probe() { return value }
        try await Task.sleep(for: .milliseconds(25))
    }
    throw EngineWaitTimeout(what: what)
}

/// A UTC time `2030-01-07T<hh>:<mm>:<ss>Z`.
func utc(_ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
    var components = DateComponents()
    (components.year, components.month, components.day) = (2030, 1, 7)
    (components.hour, components.minute, components.second) = (hour, minute, second)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: components)!
}
