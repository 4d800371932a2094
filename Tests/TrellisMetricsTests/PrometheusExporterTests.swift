import Foundation
import Synchronization
import Testing
import TrellisCore
@testable import TrellisMetrics

/// The exposition of `GET /metrics` (API §3.3) from injected sources.
@Suite("Metrics exporter")
struct PrometheusExporterTests {
    /// Returns queued samples in order, then empty ones.
    final class ScriptedSampler: RunMetricsSampling {
        private let queue: Mutex<[RunMetricsSample]>

        init(_ samples: [RunMetricsSample]) {
            queue = Mutex(samples)
        }

        func sample(now: Date) -> RunMetricsSample {
            queue.withLock { $0.isEmpty ? RunMetricsSample() : $0.removeFirst() }
        }
    }

    final class Catalog: DAGCatalog {
        let names: Mutex<[String]>

        init(_ names: [String]) {
            self.names = Mutex(names)
        }

        func entries() -> [CatalogEntry] {
            names.withLock { $0 }.map { name in
                CatalogEntry(fileName: name, path: "/dags/\(name).yaml", text: "steps:\n  - command: echo\n",
                             load: DAGLoader.load(text: "steps:\n  - command: echo\n", fileName: name + ".yaml"),
                             modifiedAt: Date(timeIntervalSince1970: 0))
            }
        }

        func entry(fileName: String) -> CatalogEntry? { entries().first { $0.fileName == fileName } }
        func entry(dagName name: String) -> CatalogEntry? { entries().first { $0.dagName == name } }
        var generation: Int { 0 }
    }

    /// The lines of the exposition that are not comments, as a set.
    private func lines(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
    }

    @Test("gauges, today's counters and histograms with the §3.3 names, labels, types and buckets")
    func exposition() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let sampler = ScriptedSampler([
            RunMetricsSample(todayByStatus: [.succeeded: 2, .failed: 1], todayByDAG: ["etl": [.succeeded: 2], "bad": [.failed: 1]],
                             runningByDAG: ["etl": 1], queuedByDAG: ["etl": 3], schedulerRunning: true,
                             finishedDurations: [.init(dag: "etl", seconds: 3), .init(dag: "etl", seconds: 400)],
                             queueWaits: [.init(dag: "etl", seconds: 0.5)]),
            RunMetricsSample(todayByStatus: [.succeeded: 2, .failed: 1], todayByDAG: ["etl": [.succeeded: 2], "bad": [.failed: 1]],
                             finishedDurations: [.init(dag: "etl", seconds: 20)]),
        ])
        let exporter = PrometheusExporter(sources: .init(runs: sampler, catalog: Catalog(["etl", "bad"])), version: "1.2.3",
                                              startedAt: start, now: { start.addingTimeInterval(90) })
        let text = exporter.exposition()
        let first = lines(text)
        for expected in [
            "trellis_info{version=\"1.2.3\",swift_version=\"\(PrometheusExporter.swiftVersion)\"} 1.0",
            "trellis_uptime_seconds 90.0", "trellis_dags_total 2.0", "trellis_dag_runs_currently_running 1.0",
            "trellis_dag_runs_queued_total 3.0", "trellis_scheduler_running 1.0",
            "trellis_dag_runs_total{status=\"succeeded\"} 2", "trellis_dag_runs_total{status=\"failed\"} 1",
            "trellis_dag_runs_total{status=\"aborted\"} 0",
            "trellis_dag_runs_currently_running_by_dag{dag=\"etl\"} 1.0", "trellis_dag_runs_currently_running_by_dag{dag=\"bad\"} 0.0",
            "trellis_dag_runs_queued_by_dag{dag=\"etl\"} 3.0",
            "trellis_dag_runs_total_by_dag{dag=\"etl\",status=\"succeeded\"} 2",
            "trellis_dag_run_duration_seconds_bucket{dag=\"etl\",le=\"1.0\"} 0",
            "trellis_dag_run_duration_seconds_bucket{dag=\"etl\",le=\"5.0\"} 1",
            "trellis_dag_run_duration_seconds_bucket{dag=\"etl\",le=\"300.0\"} 1",
            "trellis_dag_run_duration_seconds_bucket{dag=\"etl\",le=\"600.0\"} 2",
            "trellis_dag_run_duration_seconds_bucket{dag=\"etl\",le=\"3600.0\"} 2",
            "trellis_dag_run_duration_seconds_bucket{dag=\"etl\",le=\"+Inf\"} 2",
            "trellis_dag_run_duration_seconds_count{dag=\"etl\"} 2", "trellis_dag_run_duration_seconds_sum{dag=\"etl\"} 403.0",
            "trellis_queue_wait_seconds_bucket{dag=\"etl\",le=\"1.0\"} 1",
            "trellis_queue_wait_seconds_bucket{dag=\"etl\",le=\"600.0\"} 1",
            "trellis_queue_wait_seconds_count{dag=\"etl\"} 1",
        ] {
            #expect(first.contains(expected), "missing \(expected)")
        }
        #expect(text.contains("# TYPE trellis_dag_runs_total counter"))
        #expect(text.contains("# TYPE trellis_dag_run_duration_seconds histogram"))
        #expect(text.contains("# TYPE trellis_info gauge"))
        let durationBounds = first.filter { $0.hasPrefix("trellis_dag_run_duration_seconds_bucket{dag=\"etl\"") }.count
        #expect(durationBounds == 11, "10 bounds and +Inf")
        let waitBounds = first.filter { $0.hasPrefix("trellis_queue_wait_seconds_bucket{dag=\"etl\"") }.count
        #expect(waitBounds == 9, "8 bounds and +Inf")

        // The next scrape adds only the new observations; derived counters are set, not added.
        let second = lines(exporter.exposition())
        #expect(second.contains("trellis_dag_run_duration_seconds_count{dag=\"etl\"} 3"))
        #expect(second.contains("trellis_queue_wait_seconds_count{dag=\"etl\"} 1"))
        #expect(second.contains("trellis_dag_runs_total{status=\"succeeded\"} 2"))
        #expect(second.contains("trellis_dag_runs_currently_running 0.0"))
        #expect(second.contains("trellis_scheduler_running 0.0"))
    }

    @Test("a new day's fold zeroes yesterday's per-DAG series; a DAG gone from the catalog loses its gauges")
    func dayChangeAndRemovedDAG() {
        let catalog = Catalog(["etl", "old"])
        let sampler = ScriptedSampler([
            RunMetricsSample(todayByStatus: [.succeeded: 1], todayByDAG: ["old": [.succeeded: 1]]),
            RunMetricsSample(),
        ])
        let exporter = PrometheusExporter(sources: .init(runs: sampler, catalog: catalog), version: "", startedAt: Date())
        let before = lines(exporter.exposition())
        #expect(before.contains("trellis_dag_runs_total_by_dag{dag=\"old\",status=\"succeeded\"} 1"))
        #expect(before.contains("trellis_dag_runs_currently_running_by_dag{dag=\"old\"} 0.0"))
        #expect(before.contains { $0.hasPrefix("trellis_info{version=\"dev\"") })
        catalog.names.withLock { $0 = ["etl"] }
        let after = lines(exporter.exposition())
        #expect(after.contains("trellis_dag_runs_total_by_dag{dag=\"old\",status=\"succeeded\"} 0"))
        #expect(after.contains("trellis_dag_runs_total{status=\"succeeded\"} 0"))
        #expect(!after.contains { $0.contains("running_by_dag{dag=\"old\"}") })
        #expect(after.contains("trellis_dag_runs_currently_running_by_dag{dag=\"etl\"} 0.0"))
    }

    @Test("process metrics from /proc/self")
    func processMetrics() throws {
        let stats = try #require(ProcessStatsReader().read())
        #expect(stats.cpuSeconds >= 0)
        #expect(stats.residentMemoryBytes > 0 && stats.residentMemoryBytes <= stats.virtualMemoryBytes)
        #expect(stats.openFileDescriptors >= 3)
        #expect((stats.maxFileDescriptors ?? 0) >= stats.openFileDescriptors)
        let now = Date().timeIntervalSince1970
        #expect(stats.startTimeSeconds > now - 86_400 && stats.startTimeSeconds <= now + 1)
    }

    @Test("/proc/<pid>/stat fields survive a command name with spaces and parentheses")
    func statParsing() {
        let fields = ProcessStatsReader.statFields("42 (a b) c)) S 1 2 3 4 5 6 7 8 9 10 111 222 13 14 15 16 17 18 999 4096 10")
        #expect(fields?.first == "S")
        #expect(fields?[11] == "111")
        #expect(fields?[12] == "222")
        #expect(fields?[19] == "999")
        #expect(ProcessStatsReader.maxOpenFiles("Limit Soft Hard Units\nMax open files            1024                 524288               files\n") == 1024)
        #expect(ProcessStatsReader.bootTime("cpu 1 2\nbtime 1700000000\n") == 1_700_000_000)
    }
}
