import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import TrellisCore
import TrellisStore

/// `trellis bench-seed-runs`: fills the data directory with finished runs for benchmarks
/// (scripts/bench/perf_bench.py). Hidden from help.
///
/// Every run goes through ``FileRunStore``'s public API: `createRun` (always synced by the
/// store) and one terminal snapshot appended with `.batched` durability, flushed once at the
/// end. Runs are spread evenly over `--days` days ending now (or `--end`), oldest first; each
/// worker has its own store whose clock is set to the run's time, so attempt folders carry the
/// run's time too.
struct BenchSeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-seed-runs",
        abstract: "Create finished runs in the data directory (benchmarks only).",
        shouldDisplay: false
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("dag"), help: "The DAG name of the runs.")
    var dag = "bench"

    @Option(name: .customLong("count"), help: "How many runs to create.")
    var count: Int

    @Option(name: .customLong("days"), help: "The runs are spread evenly over this many days.")
    var days = 1

    @Option(name: .customLong("end"), help: "The newest run's creation time (RFC 3339; default: now).")
    var end: String?

    @Option(name: .customLong("jobs"), help: "Runs created at once (threads).")
    var jobs = 4

    func validate() throws {
        guard NameRules.isValidDAGName(dag) else { throw ValidationError("DAG name \"\(dag)\" is invalid") }
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
        guard days >= 1 else { throw ValidationError("--days must be 1 or more") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more") }
        if let end, ScheduleTimeText.parse(end) == nil { throw ValidationError("--end \"\(end)\" is not an RFC 3339 time") }
    }

    func run() throws {
        do {
            let context = try CommandContext(global)
            let newest = end.flatMap(ScheduleTimeText.parse) ?? Date()
            let span = Double(days) * 86_400
            let step = count > 1 ? span / Double(count) : 0
            let spec = "steps:\n  - {name: only, command: \"true\"}\n"
            let failure = Mutex<String?>(nil)
            let started = Date()
            let workers = min(jobs, max(1, count))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let clock = SeedClock()
                let store = FileRunStore(dataDirectory: context.dataDirectory,
                                         now: { clock.time.withLock { $0 } }, logger: context.logger)
                defer { store.close() }
                var index = worker
                while index < count, failure.withLock({ $0 }) == nil {
                    let createdAt = newest.addingTimeInterval(-Double(count - 1 - index) * step)
                    clock.time.withLock { $0 = createdAt }
                    do {
                        try Self.seed(store, dag: dag, spec: spec, createdAt: createdAt, index: index)
                    } catch {
                        failure.withLock { $0 = $0 ?? "run \(index): \(error)" }
                    }
                    index += workers
                }
                do {
                    try store.flush()
                } catch {
                    failure.withLock { $0 = $0 ?? "flush: \(error)" }
                }
            }
            if let message = failure.withLock({ $0 }) { throw CLIFailure(1, message) }
            let seconds = Date().timeIntervalSince(started)
            if !global.quiet {
                let rate = seconds > 0 ? Double(count) / seconds : 0
                print("created \(count) runs of \(dag) over \(days) days in \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", rate)) runs/s)")
            }
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }

    /// One succeeded run: created (not started), then its terminal snapshot one second later.
    static func seed(_ store: FileRunStore, dag: String, spec: String, createdAt: Date, index: Int) throws(StoreError) {
        let run = RunRef(name: dag, id: RunIDGenerator.uuidV7(now: createdAt))
        let header = RunHeader(run: run, createdAt: createdAt, triggerType: .manual, queue: dag, sourceFileName: dag)
        let initial = RunSnapshot(header: header, attemptId: "", status: .notStarted, log: "",
                                  nodes: [NodeRecord(name: "only")])
        try store.createRun(header, spec: spec, initial: initial)
        var final = initial
        final.status = .succeeded
        final.startedAt = createdAt.addingTimeInterval(0.1)
        final.finishedAt = createdAt.addingTimeInterval(1.1)
        var node = NodeRecord(name: "only", status: .succeeded)
        node.startedAt = final.startedAt
        node.finishedAt = final.finishedAt
        node.exitCode = 0
        final.nodes = [node]
        try store.append(final, durability: .batched)
    }
}

/// A worker's store clock: set to each run's time before the run is written.
private final class SeedClock: Sendable {
    let time = Mutex(Date())
}
