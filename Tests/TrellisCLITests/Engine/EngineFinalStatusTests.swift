import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §12.3 final run status, rule by rule, and the exit code of `trellis start` (§12.1, §19).
@Suite("Run engine: final run status (§12.3)")
struct EngineFinalStatusTests {
    @Test("rule 1: a stopped run is aborted (3) even though a step already succeeded; exit 1")
    func abortedByStop() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("stopme", """
            max_clean_up_time_sec: 1
            steps:
              - {name: done, command: "echo done"}
              - {name: long, command: "sleep 30"}
              - {name: never, command: "echo never"}
            """)
        let background = try home.startInBackground("stopme")
        defer { background.stop() }
        try home.waitForNode(background, "long", .running)
        let stop = try home.trellis(["stop", "stopme"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "stopme", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(run.status.rawValue == 3)
        #expect(run.nodeStatuses == ["done": "succeeded", "long": "aborted", "never": "not_started"])
        #expect(run.finishedAt != nil)
    }

    @Test("rule 1: a failed init handler aborts the run; steps stay not_started; exit 1")
    func abortedByInit() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("badinit", """
            handler_on:
              init: {command: "exit 3"}
            steps:
              - {name: a, command: 'touch "$DAG_RUN_WORK_DIR/a-ran"'}
              - {name: b, command: "echo b"}
            """)
        let (status, run, _) = try home.start("badinit")
        #expect(status == 1)
        #expect(run.status == .aborted)
        #expect(run.nodeStatuses == ["a": "not_started", "b": "not_started", "onInit": "failed"])
        #expect(run.handlers["onInit"]?.exitCode == 3)
        #expect(!FileManager.default.fileExists(atPath: home.runDirectory(run) + "/work/a-ran"))
    }

    @Test("rule 1: an unmet DAG precondition aborts the run; no step and no init handler runs; exit 1")
    func abortedByPrecondition() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("gated", """
            params: READY=no
            preconditions:
              - {condition: "$READY", expected: "yes"}
            handler_on:
              init: {command: 'touch "$DAG_RUN_WORK_DIR/init-ran"'}
            steps:
              - {name: a, command: "echo a"}
            """)
        let (status, run, output) = try home.start("gated")
        #expect(status == 1)
        #expect(run.status == .aborted)
        #expect(run.nodeStatuses == ["a": "not_started"])
        #expect(run.handlers["onInit"] == nil)
        #expect(run.preconditions.first?.matched == false)
        #expect(output.stderr.contains("aborted"))
        #expect(!FileManager.default.fileExists(atPath: home.runDirectory(run) + "/work/init-ran"))

        let (metStatus, met, _) = try home.start("gated", params: ["READY=yes"])
        #expect(metStatus == 0)
        #expect(met.status == .succeeded)
        #expect(met.nodeStatuses == ["a": "succeeded", "onInit": "succeeded"])
    }

    @Test("rule 4: a continued failure plus a success is partially_succeeded (6); exit 0")
    func partialSuccess() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("partial", """
            steps:
              - {name: a, command: "exit 2", continue_on: failed}
              - {name: b, command: "echo b"}
            """)
        let (status, run, _) = try home.start("partial")
        #expect(status == 0)
        #expect(run.status == .partiallySucceeded)
        #expect(run.status.rawValue == 6)
        #expect(run.status.label == "partially_succeeded")
    }

    @Test("rule 4 needs a succeeded node: a lone continued failure makes the run failed; exit 1")
    func continuedFailureAlone() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("lonely", """
            steps:
              - {name: a, command: "exit 2", continue_on: failed}
            """)
        let (status, run, _) = try home.start("lonely")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.nodeStatuses == ["a": "failed"])
    }

    @Test("mark_success records the continued failure as succeeded and the run succeeded (4)")
    func markSuccess() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("marked", """
            steps:
              - {name: a, command: "exit 5", continue_on: {failed: true, mark_success: true}}
              - {name: b, command: "echo b"}
            """)
        let (status, run, _) = try home.start("marked")
        #expect(status == 0)
        #expect(run.status == .succeeded)
        #expect(run.nodeStatuses == ["a": "succeeded", "b": "succeeded"])
        #expect(run.node(named: "a")?.exitCode == 5)
    }

    @Test("rule 6: every step skipped by its precondition → succeeded; exit 0")
    func allSkipped() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("skippy", """
            steps:
              - {name: a, depends: [], command: "echo a", preconditions: "false"}
              - {name: b, depends: [], command: "echo b", preconditions: [{condition: "`echo no`", expected: "yes"}]}
            """)
        let (status, run, _) = try home.start("skippy")
        #expect(status == 0)
        #expect(run.status == .succeeded)
        #expect(run.nodeStatuses == ["a": "skipped", "b": "skipped"])
    }

    @Test("rule 5: a failure that is not continued makes the run failed (2); exit 1")
    func failed() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("failing", """
            steps:
              - {name: a, depends: [], command: "exit 9"}
              - {name: b, depends: [], command: "exit 1", continue_on: failed}
              - {name: c, depends: [], command: "echo c"}
            """)
        let (status, run, output) = try home.start("failing")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.status.rawValue == 2)
        #expect(run.nodeStatuses == ["a": "failed", "b": "failed", "c": "succeeded"])
        #expect(output.stderr.contains("failing \(run.run.id): failed"))
    }
}
