import Foundation
import Prometheus
import Synchronization
import TrellisCore

/// The metrics of `GET /metrics` (API §3.3) in a Prometheus registry that this exporter owns
/// (never the process-wide `MetricsSystem`): gauges and today's counters are set from the sources
/// at each scrape, the histograms add the observations the run sampler reports since the
/// previous scrape. Scrapes are serialized, so a scrape never sees another one half-applied.
public final class PrometheusExporter: MetricsExposing {
    /// Where the values come from.
    public struct Sources: Sendable {
        public var runs: any RunMetricsSampling
        public var catalog: any DAGCatalog
        public var process: ProcessStatsReader

        public init(runs: any RunMetricsSampling, catalog: any DAGCatalog, process: ProcessStatsReader = ProcessStatsReader()) {
            self.runs = runs
            self.catalog = catalog
            self.process = process
        }
    }

    public let registry: PrometheusCollectorRegistry
    private let sources: Sources
    private let names = MetricNames.self
    private let startedAt: Date
    private let now: @Sendable () -> Date
    /// The per-DAG gauges set at the last scrape (unregistered when their DAG is gone).
    private let perDAGGauges = Mutex<[String: [Gauge]]>([:])
    private let scrape = Mutex(())

    /// The statuses that always have a `trellis_dag_runs_total` series (0 when none today).
    static let reportedStatuses: [RunStatus] = [.notStarted, .running, .failed, .aborted, .succeeded, .queued, .partiallySucceeded]

    /// - Parameters:
    ///   - registry: the registry to fill; a new one by default.
    ///   - version: the `version` label of `trellis_info`.
    ///   - startedAt: the server start (for `trellis_uptime_seconds`).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), sources: Sources, version: String,
                startedAt: Date, now: @escaping @Sendable () -> Date = { Date() }) {
        self.registry = registry
        self.sources = sources
        self.startedAt = startedAt
        self.now = now
        registry.makeGauge(name: names.info, labels: [("version", version.isEmpty ? "dev" : version),
                                                       ("swift_version", Self.swiftVersion)],
                           help: "Trellis build information; always 1.").set(to: 1.0)
        for status in Self.reportedStatuses {
            _ = registry.makeCounter(name: names.runsTotal, labels: [("status", status.label)], help: names.runsTotalHelp)
        }
    }

    public func exposition() -> String {
        scrape.withLock { _ in
            let time = now()
            update(sample: sources.runs.sample(now: time), at: time)
            updateProcess()
            return registry.emitToString()
        }
    }

    private func update(sample: RunMetricsSample, at time: Date) {
        gauge(names.uptime, "Seconds since the server started.").set(to: max(0, time.timeIntervalSince(startedAt)))
        let entries = sources.catalog.entries()
        gauge(names.dagsTotal, "DAG files in the catalog.").set(to: Double(entries.count))
        gauge(names.running, "Runs whose run lock is held.").set(to: Double(sample.runningByDAG.values.reduce(0, +)))
        gauge(names.queued, "Runs currently queued.").set(to: Double(sample.queuedByDAG.values.reduce(0, +)))
        gauge(names.schedulerRunning, "1 if a scheduler holds the scheduler lock.").set(to: sample.schedulerRunning ? 1.0 : 0.0)

        var statuses = Set(Self.reportedStatuses)
        statuses.formUnion(sample.todayByStatus.keys)
        for status in statuses {
            let counter = registry.makeCounter(name: names.runsTotal, labels: [("status", status.label)], help: names.runsTotalHelp)
            set(counter, to: sample.todayByStatus[status] ?? 0)
        }
        updatePerDAG(sample: sample, dags: Set(entries.map(\.dagName)))
        for observation in sample.finishedDurations {
            registry.makeValueHistogram(name: names.duration, labels: [("dag", observation.dag)], buckets: names.durationBuckets,
                                        help: "Durations of runs finished since the server started.")
                .record(observation.seconds)
        }
        for observation in sample.queueWaits {
            registry.makeValueHistogram(name: names.queueWait, labels: [("dag", observation.dag)], buckets: names.queueWaitBuckets,
                                        help: "startedAt - queuedAt of dispatched runs since the server started.")
                .record(observation.seconds)
        }
    }

    /// Per-DAG gauges for every DAG of the catalog or with runs; today's per-DAG counters.
    private func updatePerDAG(sample: RunMetricsSample, dags catalogDAGs: Set<String>) {
        var dags = catalogDAGs
        dags.formUnion(sample.runningByDAG.keys)
        dags.formUnion(sample.queuedByDAG.keys)
        perDAGGauges.withLock { registered in
            for (dag, gauges) in registered where !dags.contains(dag) {
                gauges.forEach(registry.unregisterGauge)
                registered[dag] = nil
            }
            for dag in dags {
                let running = registry.makeGauge(name: names.runningByDAG, labels: [("dag", dag)], help: "Running runs per DAG.")
                let queued = registry.makeGauge(name: names.queuedByDAG, labels: [("dag", dag)], help: "Queued runs per DAG.")
                running.set(to: Double(sample.runningByDAG[dag] ?? 0))
                queued.set(to: Double(sample.queuedByDAG[dag] ?? 0))
                registered[dag] = [running, queued]
            }
        }
        // Counters keep their series for the day; those of DAGs without runs today fall to 0.
        for (dag, counts) in sample.todayByDAG {
            for (status, count) in counts {
                let counter = registry.makeCounter(name: names.runsTotalByDAG, labels: [("dag", dag), ("status", status.label)],
                                                   help: names.runsTotalByDAGHelp)
                set(counter, to: count)
            }
        }
        zeroStaleDAGCounters(keeping: sample.todayByDAG)
    }

    /// The per-DAG counter series set before but absent from today's fold (a new day) read 0.
    private let perDAGCounters = Mutex<Set<DAGStatusKey>>([])

    private struct DAGStatusKey: Hashable {
        var dag: String
        var status: RunStatus
    }

    private func zeroStaleDAGCounters(keeping today: [String: [RunStatus: Int]]) {
        perDAGCounters.withLock { known in
            var current = Set<DAGStatusKey>()
            for (dag, counts) in today { for status in counts.keys { current.insert(DAGStatusKey(dag: dag, status: status)) } }
            for key in known.subtracting(current) {
                registry.makeCounter(name: names.runsTotalByDAG, labels: [("dag", key.dag), ("status", key.status.label)],
                                     help: names.runsTotalByDAGHelp).reset()
            }
            known.formUnion(current)
        }
    }

    private func updateProcess() {
        guard let stats = sources.process.read() else { return }
        set(registry.makeCounter(name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds."),
            toSeconds: stats.cpuSeconds)
        gauge("process_resident_memory_bytes", "Resident memory size in bytes.").set(to: stats.residentMemoryBytes)
        gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.").set(to: stats.virtualMemoryBytes)
        gauge("process_open_fds", "Number of open file descriptors.").set(to: stats.openFileDescriptors)
        if let max = stats.maxFileDescriptors {
            gauge("process_max_fds", "Maximum number of open file descriptors.").set(to: max)
        }
        gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.").set(to: stats.startTimeSeconds)
    }

    private func gauge(_ name: String, _ help: String) -> Gauge {
        registry.makeGauge(name: name, help: help)
    }

    /// A counter whose value is derived (today's fold): reset, then raised to `value`.
    private func set(_ counter: Counter, to value: Int) {
        counter.reset()
        counter.increment(by: Int64(max(0, value)))
    }

    private func set(_ counter: Counter, toSeconds value: Double) {
        counter.reset()
        counter.increment(by: max(0, value))
    }

    /// The compiler's language version (`6.3`).
    static var swiftVersion: String {
        #if compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}
