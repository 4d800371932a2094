import Foundation
import Testing
import TrellisCore
import TrellisStore

/// Stop, crash repair and retry across processes (§10.2, §13.1, §16.2).
@Suite("Run engine: stop, crash, retry")
struct EngineLifecycleTests {
    private func runningPGID(_ home: EngineHarness, _ run: BackgroundRun, step: String) throws -> Int32 {
        try #require(try home.waitForNode(run, step, .running).pgid)
    }

    @Test("stop: a step that traps SIGTERM is killed after max_clean_up_time_sec; the run ends aborted")
    func stopWithTrap() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("stoppable", """
            max_clean_up_time_sec: 1
            handler_on:
              abort: {command: "echo aborted"}
            steps:
              - {name: obstinate, command: "trap '' TERM; sleep 60"}
              - {name: never, command: "echo never"}
            """)
        let background = try home.startInBackground("stoppable")
        defer { background.stop() }
        let runID = background.runID
        let pgid = try runningPGID(home, background, step: "obstinate")
        let stop = try home.trellis(["stop", "stoppable"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "stoppable", runID: runID))
        #expect(run.status == .aborted)
        #expect(run.nodeStatuses == ["obstinate": "aborted", "never": "not_started", "onAbort": "succeeded"])
        #expect(kill(-pgid, 0) == -1, "the step's process group is gone")
        let again = try home.trellis(["stop", "-r", runID, "stoppable"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("not running"))
    }

    @Test("kill -9 of the run agent: the next read reports the run failed and no step process remains")
    func agentCrash() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("crashy", "steps:\n  - {name: long, command: 'sleep 60 & sleep 60'}\n")
        let background = try home.startInBackground("crashy")
        let runID = background.runID
        let pgid = try runningPGID(home, background, step: "long")
        let agentPID = background.pid
        background.stop()
        let status = try home.trellis(["status", "-r", runID, "crashy"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("Status:   failed (2)"))
        #expect(status.stdout.contains("run agent exited unexpectedly (pid \(agentPID))"))
        let run = try #require(try home.latest(dag: "crashy", runID: runID))
        #expect(run.status == .failed)
        #expect(run.node(named: "long")?.status == .failed)
        _ = try home.waitFor("the step group to be gone") { kill(-pgid, 0) == -1 ? true : nil }
    }

    @Test("retry re-runs the failed step and what follows, keeps the rest, same run ID")
    func retryKeepsSucceeded() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let flag = home.dir.url.appendingPathComponent("fixed").path
        try home.dag("mend", """
            steps:
              - {name: first, command: 'echo once >> "$DAG_RUN_WORK_DIR/first"; echo kept-value', output: FIRST}
              - {name: fragile, command: "test -f \(flag)"}
              - {name: last, command: "echo done with ${FIRST}"}
            """)
        let (status, failed, _) = try home.start("mend")
        #expect(status == 1)
        #expect(failed.nodeStatuses == ["first": "succeeded", "fragile": "failed", "last": "aborted"])
        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        let retry = try home.trellis(["retry", "-r", failed.run.id, "mend"])
        #expect(retry.status == 0, "\(retry.stderr)")
        let run = try #require(try home.latest(dag: "mend", runID: failed.run.id))
        #expect(run.status == .succeeded)
        #expect(run.triggerType == .retry)
        #expect(run.attemptId != failed.attemptId)
        #expect(run.nodeStatuses == ["first": "succeeded", "fragile": "succeeded", "last": "succeeded"])
        let firstRuns = try String(contentsOfFile: (run.log as NSString).deletingLastPathComponent + "/work/first", encoding: .utf8)
        #expect(firstRuns == "once\n")
        #expect(home.stepLog(run, "last").hasSuffix("done with kept-value\n"))
    }

    @Test("a sub-DAG step runs the child as its own run and passes its outputs back")
    func subDAG() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("child", """
            params: WHO=nobody
            steps:
              - {name: greet, command: "echo hi-$WHO", output: RESULT_TEXT}
            """)
        try home.dag("parent", """
            steps:
              - {name: call-child, call: child, params: "WHO=parent", output: CHILD}
              - {name: use, command: "echo ${CHILD.outputs.resultText}"}
            """)
        let (status, run, output) = try home.start("parent")
        #expect(status == 0, "\(output.stderr)")
        #expect(run.nodeStatuses == ["call-child": "succeeded", "use": "succeeded"])
        #expect(home.stepLog(run, "use") == "hi-parent\n")
        let sub = try #require(run.node(named: "call-child")?.subRuns.first)
        #expect(sub.status == .succeeded)
        let child = try #require(try home.latest(dag: "child", runID: sub.dagRunId))
        #expect(child.triggerType == .subdag)
        #expect(child.parent == run.run)
    }
}
