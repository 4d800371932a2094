import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §13.1 manual retry and §17.3 cleanup.
@Suite("Run engine: retry and cleanup (§13.1, §17.3)")
struct EngineHistoryTests {
    @Test("retry --step re-runs only that step; the others keep their state; same run ID, new attempt")
    func retryStep() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("three", """
            steps:
              - {name: a, command: 'echo a >> "$DAG_RUN_WORK_DIR/log"'}
              - {name: b, command: 'echo b >> "$DAG_RUN_WORK_DIR/log"'}
              - {name: c, command: 'echo c >> "$DAG_RUN_WORK_DIR/log"'}
            """)
        let (status, first, _) = try home.start("three")
        #expect(status == 0)
        let retry = try home.trellis(["retry", "-r", first.run.id, "--step", "b", "three"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.hasPrefix(first.run.id))
        let run = try #require(try home.latest(dag: "three", runID: first.run.id))
        #expect(run.status == .succeeded)
        #expect(run.triggerType == .retry)
        #expect(run.attemptId != first.attemptId)
        #expect(run.nodeStatuses == ["a": "succeeded", "b": "succeeded", "c": "succeeded"])
        #expect(home.workFile(run, "log") == "a\nb\nc\nb\n")
        for name in ["a", "c"] {
            let before = try #require(first.node(named: name)?.startedAt)
            let after = try #require(run.node(named: name)?.startedAt)
            #expect(abs(after.timeIntervalSince(before)) < 0.002, "\(name) kept its state")
        }
    }

    @Test("retry --step gives the step a fresh retry budget")
    func retryStepFreshBudget() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("budget", """
            steps:
              - name: flaky
                command: 'echo x >> "$DAG_RUN_WORK_DIR/n"; [ "$(wc -l < "$DAG_RUN_WORK_DIR/n")" -ge 3 ]'
                retry_policy: {limit: 1, interval_sec: 0}
            """)
        let (status, first, _) = try home.start("budget")
        #expect(status == 1)
        #expect(first.node(named: "flaky")?.retryCount == 1)
        let retry = try home.trellis(["retry", "-r", first.run.id, "--step", "flaky", "budget"])
        #expect(retry.status == 0, "\(retry.stderr)")
        let run = try #require(try home.latest(dag: "budget", runID: first.run.id))
        #expect(run.node(named: "flaky")?.status == .succeeded)
        #expect(run.node(named: "flaky")?.retryCount == 0)
        #expect(home.workFile(run, "n") == "x\nx\nx\n")
    }

    @Test("retry of an active run is refused (exit 1) and leaves the run alone")
    func retryActiveRefused() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("busy", """
            max_clean_up_time_sec: 1
            steps:
              - {name: long, command: "sleep 30"}
            """)
        let background = try home.startInBackground("busy")
        defer { background.stop() }
        try home.waitForNode(background, "long", .running)
        let retry = try home.trellis(["retry", "-r", background.runID, "busy"])
        #expect(retry.status == 1)
        #expect(retry.stderr.contains("active"), "\(retry.stderr)")
        let during = try #require(try home.latest(dag: "busy", runID: background.runID))
        #expect(during.status == .running)
        #expect(during.node(named: "long")?.status == .running)
        #expect(try home.trellis(["stop", "busy"]).status == 0)
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "busy", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(run.triggerType == .manual)
    }

    @Test("cleanup --retention-days 0 -y deletes finished runs but never a running one")
    func cleanupKeepsRunning() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("history", """
            params: MODE=quick
            max_clean_up_time_sec: 1
            steps:
              - {name: work, command: '[ "$MODE" = quick ] || sleep 30'}
            """)
        let (okStatus, done, _) = try home.start("history")
        #expect(okStatus == 0)
        let (_, alsoDone, _) = try home.start("history", params: ["MODE=quick"])
        let background = try home.startInBackground("history", arguments: ["start", "history", "--", "MODE=slow"])
        defer { background.stop() }
        try home.waitForNode(background, "work", .running)

        let cleanup = try home.trellis(["cleanup", "--retention-days", "0", "-y", "history"])
        #expect(cleanup.status == 0, "\(cleanup.stderr)")
        #expect(cleanup.stdout.contains("deleted history \(done.run.id)"))
        #expect(cleanup.stdout.contains("deleted history \(alsoDone.run.id)"))
        #expect(!cleanup.stdout.contains(background.runID))
        #expect(try home.latest(dag: "history", runID: done.run.id) == nil)
        #expect(try home.latest(dag: "history", runID: alsoDone.run.id) == nil)
        #expect(!FileManager.default.fileExists(atPath: home.runDirectory(done)))
        let running = try #require(try home.latest(dag: "history", runID: background.runID))
        #expect(running.status == .running)
        #expect(FileManager.default.fileExists(atPath: home.runDirectory(running)))

        #expect(try home.trellis(["stop", "history"]).status == 0)
        #expect(try background.exitStatus() == 1)
        #expect(try home.latest(dag: "history", runID: background.runID)?.status == .aborted)
    }

    @Test("cleanup --dry-run lists the runs and deletes nothing")
    func cleanupDryRun() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("kept", "steps:\n  - {name: a, command: \"true\"}\n")
        let (_, run, _) = try home.start("kept")
        let dry = try home.trellis(["cleanup", "--retention-days", "0", "--dry-run", "kept"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would delete kept \(run.run.id)"))
        #expect(try home.latest(dag: "kept", runID: run.run.id)?.status == .succeeded)
        #expect(FileManager.default.fileExists(atPath: home.runDirectory(run)))
        let status = try home.trellis(["status", "-r", run.run.id, "kept"])
        #expect(status.status == 0)
    }

    @Test("cleanup without -y or --dry-run refuses (exit 2) and deletes nothing")
    func cleanupNeedsConfirmation() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("confirm", "steps:\n  - {name: a, command: \"true\"}\n")
        let (_, run, _) = try home.start("confirm")
        let refused = try home.trellis(["cleanup", "--retention-days", "0", "confirm"])
        #expect(refused.status == 2)
        #expect(try home.latest(dag: "confirm", runID: run.run.id) != nil)
    }
}
