import Foundation
import Testing
import TrellisCore
import TrellisStore

/// `trellis start` end to end: real processes, real files (§6, §8, §9, §12).
@Suite("Run engine: start")
struct EngineRunTests {
    @Test("a chain runs in order, passes an output variable and succeeds (exit 0)")
    func chainWithOutput() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("chain", """
            steps:
              - name: produce
                command: echo "hello world"
                output: GREETING
              - name: consume
                command: echo "got ${GREETING} from $DAG_NAME"
            """)
        let (status, run, output) = try home.start("chain")
        #expect(status == 0, "\(output.stderr)")
        #expect(run.status == .succeeded)
        #expect(run.nodeStatuses == ["produce": "succeeded", "consume": "succeeded"])
        #expect(home.stepLog(run, "consume") == "got hello world from chain\n")
        #expect(run.node(named: "produce")?.outputValue == "hello world")
        let outputs = try String(contentsOfFile: (run.log as NSString).deletingLastPathComponent + "/outputs.json", encoding: .utf8)
        #expect(outputs.contains("\"greeting\":\"hello world\""))
    }

    @Test("a failed step aborts its dependents; independent branches still run; exit 1")
    func failurePropagation() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("fail", """
            steps:
              - {name: a, command: "exit 3"}
              - {name: b, command: "echo b", depends: a}
              - {name: c, command: "echo c", depends: []}
            """)
        let (status, run, _) = try home.start("fail")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.nodeStatuses == ["a": "failed", "b": "aborted", "c": "succeeded"])
        #expect(run.node(named: "a")?.exitCode == 3)
        #expect(run.node(named: "b")?.error == "upstream step failed")
    }

    @Test("continue_on failed lets dependents run and the run ends partially_succeeded (exit 0)")
    func partialSuccess() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("partial", """
            steps:
              - {name: a, command: "exit 1", continue_on: failed}
              - {name: b, command: "echo b"}
            """)
        let (status, run, _) = try home.start("partial")
        #expect(status == 0)
        #expect(run.status == .partiallySucceeded)
        #expect(run.nodeStatuses == ["a": "failed", "b": "succeeded"])
    }

    @Test("an unmet step precondition skips the step and its dependents; all skipped is succeeded")
    func preconditions() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("pre", """
            params: MODE=off
            steps:
              - name: gated
                command: echo never
                preconditions:
                  - condition: "$MODE"
                    expected: "on"
              - {name: after, command: "echo after"}
            """)
        let (status, run, _) = try home.start("pre")
        #expect(status == 0)
        #expect(run.status == .succeeded)
        #expect(run.nodeStatuses == ["gated": "skipped", "after": "skipped"])
        let (_, on, _) = try home.start("pre", params: ["MODE=on"])
        #expect(on.nodeStatuses == ["gated": "succeeded", "after": "succeeded"])
    }

    @Test("retry_policy re-runs a failing step until it succeeds; retryCount is recorded")
    func retryPolicy() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("flaky", """
            steps:
              - name: flaky
                command: |
                  n=$(cat "$DAG_RUN_WORK_DIR/count" 2>/dev/null || echo 0)
                  n=$((n + 1)); echo $n > "$DAG_RUN_WORK_DIR/count"
                  [ "$n" -ge 3 ]
                retry_policy: {limit: 5, interval_sec: 0}
            """)
        let (status, run, _) = try home.start("flaky")
        #expect(status == 0)
        #expect(run.node(named: "flaky")?.status == .succeeded)
        #expect(run.node(named: "flaky")?.retryCount == 2)
        #expect(run.node(named: "flaky")?.doneCount == 3)
    }

    @Test("retry_policy with exit_code only retries listed codes")
    func retryExitCodes() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("codes", """
            steps:
              - {name: a, command: "exit 2", retry_policy: {limit: 3, exit_code: [1]}}
            """)
        let (_, run, _) = try home.start("codes")
        #expect(run.node(named: "a")?.retryCount == 0)
        #expect(run.node(named: "a")?.status == .failed)
    }

    @Test("repeat_policy until repeats until the condition holds")
    func repeatUntil() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("rep", """
            steps:
              - name: tick
                command: sh -c 'echo x >> "$DAG_RUN_WORK_DIR/ticks"'
                repeat_policy:
                  condition: "`wc -l < $DAG_RUN_WORK_DIR/ticks | tr -d ' '`"
                  expected: "3"
                  interval_sec: 0
                  limit: 10
            """)
        let (status, run, _) = try home.start("rep")
        #expect(status == 0)
        #expect(run.node(named: "tick")?.doneCount == 3)
    }

    @Test("a step timeout fails the step with exit code 124")
    func stepTimeout() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("slow", """
            max_clean_up_time_sec: 1
            steps:
              - {name: slow, command: "sleep 30", timeout_sec: 1}
            """)
        let (status, run, _) = try home.start("slow")
        #expect(status == 1)
        #expect(run.node(named: "slow")?.exitCode == 124)
        #expect(run.node(named: "slow")?.error == "step timed out after 1 s")
        #expect(run.status == .failed)
    }

    @Test("a DAG timeout aborts running steps, leaves the rest not_started and fails the run")
    func dagTimeout() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("dagslow", """
            timeout_sec: 1
            max_clean_up_time_sec: 1
            steps:
              - {name: slow, command: "sleep 30"}
              - {name: next, command: "echo next"}
            """)
        let (status, run, _) = try home.start("dagslow")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.error == "DAG timed out after 1 s")
        #expect(run.nodeStatuses == ["slow": "aborted", "next": "not_started"])
    }

    @Test("handlers run in order and see DAG_RUN_STATUS; a failing exit handler fails the run")
    func handlers() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("hand", """
            handler_on:
              init: {command: 'echo init >> "$DAG_RUN_WORK_DIR/order"'}
              success: {command: 'echo "success $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
              failure: {command: 'echo failure >> "$DAG_RUN_WORK_DIR/order"'}
              exit: {command: 'echo "exit $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
            steps:
              - {name: a, command: 'echo step >> "$DAG_RUN_WORK_DIR/order"'}
            """)
        let (status, run, _) = try home.start("hand")
        #expect(status == 0)
        let order = try String(contentsOfFile: (run.log as NSString).deletingLastPathComponent + "/work/order", encoding: .utf8)
        #expect(order == "init\nstep\nsuccess succeeded\nexit succeeded\n")
        #expect(run.handlers["onExit"]?.status == .succeeded)

        try home.dag("handfail", """
            handler_on:
              exit: {command: "exit 1"}
            steps:
              - {name: a, command: "true"}
            """)
        let (failStatus, failed, _) = try home.start("handfail")
        #expect(failStatus == 1)
        #expect(failed.status == .failed)

        // A failing success handler makes the run failed, and the exit handler already sees it.
        try home.dag("handfail2", """
            handler_on:
              success: {command: "exit 1"}
              exit: {command: 'echo "$DAG_RUN_STATUS" > "$DAG_RUN_WORK_DIR/seen"'}
            steps:
              - {name: a, command: "true"}
            """)
        let (_, second, _) = try home.start("handfail2")
        #expect(second.status == .failed)
        let seen = try String(contentsOfFile: (second.log as NSString).deletingLastPathComponent + "/work/seen", encoding: .utf8)
        #expect(seen == "failed\n")
    }

    @Test("invalid params exit 2 and name the param; nothing is created")
    func invalidParams() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("typed", """
            params:
              - {name: batch, type: integer, minimum: 1}
            steps: ["echo $batch"]
            """)
        let output = try home.trellis(["start", "typed", "--", "batch=0"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("batch"))
        #expect(try home.store().runs(dagName: "typed", limit: 10, cursor: nil).entries.isEmpty)
    }

    @Test("a step printing 10 MB does not block and its log holds all of it")
    func bigOutput() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("big", "steps:\n  - {name: big, command: 'head -c 10485760 /dev/zero | tr \"\\\\0\" x'}\n")
        let (status, run, _) = try home.start("big")
        #expect(status == 0)
        let path = try #require(run.node(named: "big")?.stdout)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size == 10_485_760)
    }
}
