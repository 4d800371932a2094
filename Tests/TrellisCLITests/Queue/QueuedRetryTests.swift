import Foundation
import Logging
import Testing
import TrellisCore
import TrellisStore

/// API §6.7: a retry of a run whose DAG is on a global queue is enqueued, waits for a slot,
/// and runs as a retry (failed steps again, succeeded ones kept); with `stepName` it runs at once.
@Suite("Queues: retry of a run on a global queue")
struct QueuedRetryTests {
    /// A home whose `trellis.yaml` declares the global queue `shared` (concurrency 1), with the
    /// DAG `flaky` on it; `steps` writes its steps from the paths of the flag file that makes it
    /// pass and of a counter its steps append to.
    private static func flakyOnSharedQueue(steps: (_ flag: String, _ counter: String) -> String) throws
        -> (home: EngineHarness, flag: String, counter: String) {
        let home = try EngineHarness()
        let flag = home.dir.url.appendingPathComponent("fixed").path
        let counter = home.dir.url.appendingPathComponent("runs").path
        do {
            try home.dir.write("trellis.yaml", "queues:\n  - name: shared\n    max_concurrency: 1\n")
            try home.dag("flaky", "queue: shared\nsteps:\n" + steps(flag, counter))
        } catch {
            home.remove()
            throw error
        }
        return (home, flag, counter)
    }

    @Test("retry is queued on the global queue, dispatched, and re-runs only the failed step", .timeLimit(.minutes(2)))
    func queuedRetry() async throws {
        let (home, flag, counter) = try Self.flakyOnSharedQueue { flag, counter in """
              - name: first
                command: sh -c 'echo x >> \(counter)'
              - name: second
                command: sh -c 'test -e \(flag)'
                depends: first
            """ }
        defer { home.remove() }
        let server = try StartAllHarness(home: home)
        defer { server.stop() }
        try await server.waitForOutput("trellis scheduler is the leader")
        let enqueued = try await server.request("POST", "/api/v1/dags/flaky/enqueue", body: "{\"dagRunId\": \"r1\"}")
        #expect(enqueued.status == 200, "\(enqueued.text)")
        let failed = try await server.ended("flaky", "r1")
        #expect(failed.status == .failed)

        _ = FileManager.default.createFile(atPath: flag, contents: nil)
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
        // The queue file shows the retry went through the queue: two enqueues, two claims, and
        // the first attempt's claim was not taken for a lost one.
        let queueText = (try? String(contentsOfFile: home.dataDirectory + "/queues/shared.jsonl", encoding: .utf8)) ?? ""
        #expect(queueText.components(separatedBy: "\"op\":\"enqueue\"").count - 1 == 2, "\(queueText)")
        #expect(queueText.components(separatedBy: "\"op\":\"claim\"").count - 1 == 2, "\(queueText)")
        #expect(!queueText.contains("\"op\":\"reopen\"") && !queueText.contains("\"op\":\"drop\""), "\(queueText)")
    }

    /// The retry is queued within a millisecond or so of the failure, while the first attempt's
    /// agent is still exiting: its `done` (or none) races the retry's `enqueue`. Before the fix
    /// the retry sometimes waited behind the ended attempt's claim until it was reopened 15 s
    /// later, was failed as "run agent exited … before the run started", or was never dispatched
    /// (a late `done` removed it from the queue). Each round must run the retry exactly once,
    /// with one claim, without a reopen or a drop.
    @Test("a retry queued the moment the run fails is dispatched exactly once, every time", .timeLimit(.minutes(4)))
    func immediateRetries() async throws {
        let (home, flag, counter) = try Self.flakyOnSharedQueue { flag, counter in """
              - name: only
                command: sh -c 'echo x >> \(counter); test -e \(flag)'
            """ }
        defer { home.remove() }
        let server = try StartAllHarness(home: home)
        defer { server.stop() }
        try await server.waitForOutput("trellis scheduler is the leader")
        // The API's retry calls the same `enqueueRetry`; calling it here takes the HTTP round
        // trip out of the race, so that the retry lands while the agent is still exiting.
        var logger = Logger(label: "trellis.test.queued-retry")
        logger.logLevel = .critical
        let queueing = RunQueueing(reader: server.store, writer: server.store,
                                   queues: FileQueueStore(dataDirectory: home.dataDirectory, logger: logger),
                                   globalQueues: [QueueConfig(name: "shared", maxConcurrency: 1)])
        let queueFile = home.dataDirectory + "/queues/shared.jsonl"
        func queueText() -> String { (try? String(contentsOfFile: queueFile, encoding: .utf8)) ?? "" }

        /// The end of the attempt after `previous`, polled every millisecond so that the retry
        /// follows within about one; a timeout reports the queue file as it is then.
        func nextEnd(after previous: String?, _ what: String) async throws -> RunSnapshot {
            do {
                return try await QueueTestWait.until(what, seconds: 60, every: .milliseconds(1)) { () -> RunSnapshot? in
                    guard let snapshot = try server.snapshot("flaky", "r1"), snapshot.attemptId != previous,
                          !snapshot.status.isActive, snapshot.status != .notStarted else { return nil }
                    return snapshot
                }
            } catch {
                let latest = try server.snapshot("flaky", "r1")
                throw QueueTestFailure("\(error); run: \(latest?.status.label ?? "none") \(latest?.attemptId ?? "")\n\(queueText())")
            }
        }

        let enqueued = try await server.request("POST", "/api/v1/dags/flaky/enqueue", body: "{\"dagRunId\": \"r1\"}")
        #expect(enqueued.status == 200, "\(enqueued.text)")
        let rounds = 8
        var lastFailed: String?
        for round in 1...rounds {
            let failed = try await nextEnd(after: lastFailed, "attempt \(round) to fail")
            #expect(failed.status == .failed && failed.error?.contains("run agent") != true, "round \(round): \(failed.error ?? "")")
            lastFailed = failed.attemptId
            if round == rounds { #expect(FileManager.default.createFile(atPath: flag, contents: nil)) }
            let queued = try #require(try queueing.enqueueRetry(of: failed))
            #expect(queued.status == .queued)
        }
        let final = try await nextEnd(after: lastFailed, "the last retry to succeed")
        #expect(final.status == .succeeded, "\(final.error ?? "")")
        #expect(final.triggerType == .retry)
        // Every attempt ran its step once, and went through the queue once.
        let runs = (try? String(contentsOfFile: counter, encoding: .utf8)) ?? ""
        #expect(runs == String(repeating: "x\n", count: rounds + 1), "\(queueText())")
        let records = try await QueueTestWait.until("done of the last retry") { () -> [QueueRecord]? in
            let records = try queueFileRecords(queueFile)
            return records.last?.op == .done ? records : nil
        }
        let ops = records.map(\.op)
        #expect(ops.filter { $0 == .enqueue }.count == rounds + 1, "\(queueText())")
        #expect(ops.filter { $0 == .claim }.count == rounds + 1, "\(queueText())")
        #expect(!ops.contains(.reopen) && !ops.contains(.drop), "\(queueText())")
        #expect(try FileQueueStore(dataDirectory: home.dataDirectory, logger: logger).state(of: "shared").isEmpty)
    }
}
