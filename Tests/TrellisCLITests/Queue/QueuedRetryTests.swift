import Foundation
import Testing
import TrellisCore
import TrellisStore

/// API §6.7: a retry of a run whose DAG is on a global queue is enqueued, waits for a slot,
/// and runs as a retry (failed steps again, succeeded ones kept); with `stepName` it runs at once.
@Suite("Queues: retry of a run on a global queue")
struct QueuedRetryTests {
    @Test("retry is queued on the global queue, dispatched, and re-runs only the failed step", .timeLimit(.minutes(2)))
    func queuedRetry() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dir.write("trellis.yaml", "queues:\n  - name: shared\n    max_concurrency: 1\n")
        let flag = home.dir.url.appendingPathComponent("fixed").path
        let counter = home.dir.url.appendingPathComponent("first-runs").path
        try home.dag("flaky", """
            queue: shared
            steps:
              - name: first
                command: sh -c 'echo x >> \(counter)'
              - name: second
                command: sh -c 'test -e \(flag)'
                depends: first
            """)
        let server = try StartAllHarness(home: home)
        defer { server.stop() }
        try await server.waitForOutput("trellis scheduler is the leader")
        let enqueued = try await server.request("POST", "/api/v1/dags/flaky/enqueue", body: "{\"dagRunId\": \"r1\"}")
        #expect(enqueued.status == 200, "\(enqueued.text)")
        let failed = try await server.ended("flaky", "r1")
        #expect(failed.status == .failed)

        FileManager.default.createFile(atPath: flag, contents: nil)
        let retried = try await server.request("POST", "/api/v1/dag-runs/flaky/r1/retry", body: "{}")
        #expect(retried.status == 200, "\(retried.text)")
        // The answer comes once the retry is queued (or already running, when the dispatcher is quick).
        let after = try #require(try server.snapshot("flaky", "r1"))
        #expect([.queued, .running, .succeeded].contains(after.status), "\(after.status)")
        #expect(after.attemptId != failed.attemptId)
        let final = try await QueueTestWait.until("the retry to succeed") { () -> RunSnapshot? in
            guard let snapshot = try server.snapshot("flaky", "r1"), snapshot.status == .succeeded else { return nil }
            return snapshot
        }
        #expect(final.triggerType == .retry)
        #expect(final.queuedAt != nil)
        // `first` succeeded before and was kept: it ran once in all.
        let firstRuns = (try? String(contentsOfFile: counter, encoding: .utf8)) ?? ""
        #expect(firstRuns == "x\n")
        // The queue file shows the retry went through the queue: two enqueues, two claims.
        let queueText = (try? String(contentsOfFile: home.dataDirectory + "/queues/shared.jsonl", encoding: .utf8)) ?? ""
        #expect(queueText.components(separatedBy: "\"op\":\"enqueue\"").count - 1 == 2, "\(queueText)")
        #expect(queueText.components(separatedBy: "\"op\":\"claim\"").count - 1 == 2, "\(queueText)")
    }
}
