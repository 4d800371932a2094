import Foundation
import Testing
import TrellisCore

/// `GET /metrics` (API §3.3) of a real `trellis server`, parsed by prometheus_client.
@Suite("REST API: GET /metrics")
struct APIMetricsTests {
    static let quick = "steps:\n  - {name: hi, command: 'echo hi'}\n"
    static let paced = "steps:\n  - {name: pause, command: 'sleep 1.2'}\n"
    static let broken = "steps:\n  - {name: fail, command: 'exit 3'}\n"
    static let slow = "steps:\n  - {name: wait, command: 'sleep 300'}\n"
    static let durationBuckets: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, .infinity]
    static let queueWaitBuckets: [Double] = [1, 5, 10, 30, 60, 120, 300, 600, .infinity]


    private func start(_ server: ServerHarness, _ dag: String) async throws -> String {
        let reply = try await server.request("POST", "/api/v1/dags/\(dag)/start", body: "{}",
                                             headers: ["Content-Type": "application/json"])
        #expect(reply.status == 200, "start \(dag): \(reply.text)")
        return try #require(reply.json?["dagRunId"]?.stringValue)
    }

    private func status(_ server: ServerHarness, _ dag: String, _ id: String) async throws -> String? {
        try await server.request("GET", "/api/v1/dag-runs/\(dag)/\(id)").json?["dagRunDetails"]?["statusLabel"]?.stringValue
    }

    private func waitFor(_ server: ServerHarness, _ dag: String, _ id: String, _ expected: String) async throws {
        _ = try await eventually("\(dag) \(id) \(expected)") { () -> Bool? in
            try await status(server, dag, id) == expected ? true : nil
        }
    }

    private func scrape(_ server: ServerHarness, headers: [String: String] = [:]) async throws -> PrometheusScrape {
        let reply = try await server.request("GET", "/api/v1/metrics", headers: headers)
        #expect(reply.status == 200, "GET /metrics: \(reply.status) \(reply.text)")
        #expect(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        return try PrometheusScrape(parsing: reply.text)
    }

    @Test("counts by status and DAG, running and queued gauges, histograms, process metrics; today's counters survive a restart")
    func liveCounts() async throws {
        let server = try ServerHarness(dags: ["quick": Self.quick, "paced": Self.paced, "broken": Self.broken, "slow": Self.slow])
        defer { server.stop() }
        // 2 succeeded (paced, ~1.2 s each), 1 failed, started together.
        let paced1 = try await start(server, "paced")
        let paced2 = try await start(server, "paced")
        let broken = try await start(server, "broken")
        try await waitFor(server, "paced", paced1, "succeeded")
        try await waitFor(server, "paced", paced2, "succeeded")
        try await waitFor(server, "broken", broken, "failed")
        // 1 running (lock held), 1 queued (no scheduler here, so it stays queued).
        let long = try await start(server, "slow")
        try await waitFor(server, "slow", long, "running")
        let enqueued = try await server.request("POST", "/api/v1/dags/quick/enqueue", body: "{}",
                                                headers: ["Content-Type": "application/json"])
        #expect(enqueued.status == 200, "enqueue: \(enqueued.text)")

        let metrics = try await scrape(server)
        // Every metric of the §3.3 table with its type.
        let types: [(String, String)] = [
            ("trellis_info", "gauge"), ("trellis_uptime_seconds", "gauge"), ("trellis_dags_total", "gauge"),
            ("trellis_dag_runs_currently_running", "gauge"), ("trellis_dag_runs_queued_total", "gauge"),
            ("trellis_dag_runs_total", "counter"), ("trellis_scheduler_running", "gauge"),
            ("trellis_dag_runs_currently_running_by_dag", "gauge"), ("trellis_dag_runs_queued_by_dag", "gauge"),
            ("trellis_dag_runs_total_by_dag", "counter"), ("trellis_dag_run_duration_seconds_count", "histogram"),
            ("process_cpu_seconds_total", "counter"), ("process_resident_memory_bytes", "gauge"),
            ("process_virtual_memory_bytes", "gauge"), ("process_open_fds", "gauge"), ("process_max_fds", "gauge"),
            ("process_start_time_seconds", "gauge"),
        ]
        for (name, type) in types {
            #expect(metrics.type(of: name) == type, "\(name) should be a \(type)")
        }
        let info = try #require(metrics.samples("trellis_info").first)
        #expect(info.value == 1)
        #expect(info.labels["version"]?.isEmpty == false)
        #expect(info.labels["swift_version"]?.hasPrefix("6.") == true)
        #expect(metrics.value("trellis_dags_total") == 4)
        #expect((metrics.value("trellis_uptime_seconds") ?? -1) > 0)
        #expect(metrics.value("trellis_scheduler_running") == 0)

        #expect(metrics.value("trellis_dag_runs_total", ["status": "succeeded"]) == 2)
        #expect(metrics.value("trellis_dag_runs_total", ["status": "failed"]) == 1)
        #expect(metrics.value("trellis_dag_runs_total", ["status": "running"]) == 1)
        #expect(metrics.value("trellis_dag_runs_total", ["status": "queued"]) == 1)
        #expect(metrics.value("trellis_dag_runs_total", ["status": "aborted"]) == 0)
        #expect(metrics.value("trellis_dag_runs_total_by_dag", ["dag": "paced", "status": "succeeded"]) == 2)
        #expect(metrics.value("trellis_dag_runs_total_by_dag", ["dag": "broken", "status": "failed"]) == 1)
        #expect(metrics.value("trellis_dag_runs_total_by_dag", ["dag": "slow", "status": "running"]) == 1)
        #expect(metrics.value("trellis_dag_runs_total_by_dag", ["dag": "quick", "status": "queued"]) == 1)

        #expect(metrics.value("trellis_dag_runs_currently_running") == 1)
        #expect(metrics.value("trellis_dag_runs_currently_running_by_dag", ["dag": "slow"]) == 1)
        #expect(metrics.value("trellis_dag_runs_currently_running_by_dag", ["dag": "paced"]) == 0)
        #expect(metrics.value("trellis_dag_runs_queued_total") == 1)
        #expect(metrics.value("trellis_dag_runs_queued_by_dag", ["dag": "quick"]) == 1)
        #expect(metrics.value("trellis_dag_runs_queued_by_dag", ["dag": "slow"]) == 0)

        let paced = try #require(metrics.histogram("trellis_dag_run_duration_seconds", ["dag": "paced"]))
        #expect(paced.buckets.map(\.bound) == Self.durationBuckets)
        #expect(paced.count == 2)
        #expect(paced.buckets.first?.count == 0, "both paced runs took over 1 s")
        #expect(paced.buckets[1].count == 2, "both paced runs took under 5 s")
        #expect(paced.sum >= 2.4 && paced.sum < 10)
        let failed = try #require(metrics.histogram("trellis_dag_run_duration_seconds", ["dag": "broken"]))
        #expect(failed.count == 1)
        #expect(metrics.histogram("trellis_dag_run_duration_seconds", ["dag": "slow"]) == nil, "a running run has no duration")

        let pid = Double(server.process.processIdentifier)
        #expect(pid > 0)
        #expect((metrics.value("process_cpu_seconds_total") ?? -1) > 0)
        let resident = metrics.value("process_resident_memory_bytes") ?? 0
        let virtual = metrics.value("process_virtual_memory_bytes") ?? 0
        #expect(resident > 1_000_000 && resident <= virtual)
        let open = metrics.value("process_open_fds") ?? 0
        #expect(open >= 3 && open <= (metrics.value("process_max_fds") ?? 0))
        let started = metrics.value("process_start_time_seconds") ?? 0
        let now = Date().timeIntervalSince1970
        #expect(started > now - 600 && started <= now + 1, "started \(started), now \(now)")

        // A second scrape observes no finished run twice.
        let again = try await scrape(server)
        #expect(again.histogram("trellis_dag_run_duration_seconds", ["dag": "paced"])?.count == 2)

        // Stop the running one: aborted, nothing running.
        #expect(try await server.request("POST", "/api/v1/dag-runs/slow/\(long)/stop").status == 200)
        try await waitFor(server, "slow", long, "aborted")
        let stopped = try await scrape(server)
        #expect(stopped.value("trellis_dag_runs_currently_running") == 0)
        #expect(stopped.value("trellis_dag_runs_total", ["status": "aborted"]) == 1)
        #expect(stopped.value("trellis_dag_runs_total", ["status": "running"]) == 0)
        #expect(stopped.histogram("trellis_dag_run_duration_seconds", ["dag": "slow"])?.count == 1)

        // Today's counters come from the day index, so a new server process reports them too;
        // the histograms only cover runs finished since that server started.
        try server.crashAndRestart()
        let restarted = try await scrape(server)
        #expect(restarted.value("trellis_dag_runs_total", ["status": "succeeded"]) == 2)
        #expect(restarted.value("trellis_dag_runs_total", ["status": "failed"]) == 1)
        #expect(restarted.value("trellis_dag_runs_total", ["status": "aborted"]) == 1)
        #expect(restarted.value("trellis_dag_runs_total", ["status": "queued"]) == 1)
        #expect(restarted.value("trellis_dag_runs_total_by_dag", ["dag": "paced", "status": "succeeded"]) == 2)
        #expect(restarted.value("trellis_dag_runs_queued_total") == 1)
        #expect(restarted.histogram("trellis_dag_run_duration_seconds", ["dag": "paced"]) == nil)
        // A run finished after the restart is observed once.
        let quick = try await start(server, "broken")
        try await waitFor(server, "broken", quick, "failed")
        let later = try await scrape(server)
        #expect(later.histogram("trellis_dag_run_duration_seconds", ["dag": "broken"])?.count == 1)
        #expect(later.value("trellis_dag_runs_total", ["status": "failed"]) == 2)
    }

    @Test("start-all: the scheduler lock is seen held, and a dispatched run's queue wait is observed")
    func schedulerAndQueueWait() async throws {
        let server = try ServerHarness(dags: ["quick": Self.quick], command: "start-all")
        defer { server.stop() }
        _ = try await eventually("the scheduler to hold its lock") { () -> Bool? in
            try await scrape(server).value("trellis_scheduler_running") == 1 ? true : nil
        }
        let reply = try await server.request("POST", "/api/v1/dags/quick/enqueue", body: "{}",
                                             headers: ["Content-Type": "application/json"])
        let id = try #require(reply.json?["dagRunId"]?.stringValue)
        try await waitFor(server, "quick", id, "succeeded")
        let metrics = try await scrape(server)
        let wait = try #require(metrics.histogram("trellis_queue_wait_seconds", ["dag": "quick"]))
        #expect(wait.buckets.map(\.bound) == Self.queueWaitBuckets)
        #expect(wait.count == 1)
        #expect(wait.sum >= 0 && wait.sum < 90)
        #expect(metrics.value("trellis_dag_runs_queued_total") == 0)
        #expect(metrics.value("trellis_dag_runs_total", ["status": "succeeded"]) == 1)
        #expect(metrics.histogram("trellis_dag_run_duration_seconds", ["dag": "quick"])?.count == 1)
    }

    @Test("private by default when auth is on (401 with the challenge); TRELLIS_METRICS=public opens /metrics only")
    func access() async throws {
        let token = "metrics-test-token-0123456789"
        let privateServer = try ServerHarness(environment: ["TRELLIS_AUTH_TOKEN": token], dags: ["quick": Self.quick])
        defer { privateServer.stop() }
        let denied = try await privateServer.request("GET", "/api/v1/metrics")
        #expect(denied.status == 401)
        #expect(denied.body.isEmpty)
        #expect(denied.headers["www-authenticate"] == "Bearer realm=\"restricted\"")
        let wrong = try await privateServer.request("GET", "/api/v1/metrics", headers: ["Authorization": "Bearer nope-nope-nope-nope"])
        #expect(wrong.status == 401)
        let allowed = try await scrape(privateServer, headers: ["Authorization": "Bearer \(token)"])
        #expect(allowed.value("trellis_dags_total") == 1)

        let publicServer = try ServerHarness(environment: ["TRELLIS_AUTH_TOKEN": token, "TRELLIS_METRICS": "public"],
                                             dags: ["quick": Self.quick])
        defer { publicServer.stop() }
        let open = try await scrape(publicServer)
        #expect(open.value("trellis_dags_total") == 1)
        #expect(try await publicServer.request("GET", "/api/v1/dags").status == 401)
        #expect(try await publicServer.request("POST", "/api/v1/metrics").status == 405)
    }
}
