import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §8.2 retry_policy and §8.3 repeat_policy.
@Suite("Run engine: retry and repeat policies (§8.2, §8.3)")
struct EnginePolicyTests {
    @Test("retry with interval and backoff capped by max_interval_sec; the node is retrying (9) while it waits")
    func retryIntervalBackoff() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("backoff", """
            steps:
              - name: flaky
                script: |
                  date +%s.%N >> "$DAG_RUN_WORK_DIR/times"
                  [ "$(wc -l < "$DAG_RUN_WORK_DIR/times")" -ge 3 ]
                retry_policy: {limit: 4, interval_sec: 1, backoff: true, max_interval_sec: 1}
            """)
        let background = try home.startInBackground("backoff")
        defer { background.stop() }
        let waiting = try home.waitForNode(background, "flaky", .retrying)
        #expect(waiting.status.rawValue == 9)
        #expect(waiting.status.label == "retrying")
        #expect(try background.exitStatus() == 0)
        let run = try #require(try home.latest(dag: "backoff", runID: background.runID))
        #expect(run.status == .succeeded)
        let node = try #require(run.node(named: "flaky"))
        #expect(node.status == .succeeded)
        #expect(node.retryCount == 2)
        #expect(node.doneCount == 3)
        #expect(node.retriedAt != nil)
        let times = home.workFile(run, "times").split(separator: "\n").compactMap { Double($0) }
        #expect(times.count == 3)
        if times.count == 3 {
            let gaps = [times[1] - times[0], times[2] - times[1]]
            // 1 s, then 1 × 2^1 = 2 s capped to 1 s.
            #expect(gaps.allSatisfy { $0 >= 0.95 }, "\(gaps)")
            #expect(gaps[1] < 1.9, "the back-off is capped by max_interval_sec: \(gaps)")
        }
    }

    @Test("retry stops at the limit: limit 2 means 3 executions, then failed")
    func retryLimit() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("limited", """
            steps:
              - name: never
                command: 'echo x >> "$DAG_RUN_WORK_DIR/count"; exit 3'
                retry_policy: {limit: 2, interval_sec: 0}
            """)
        let (status, run, _) = try home.start("limited")
        #expect(status == 1)
        let node = try #require(run.node(named: "never"))
        #expect(node.status == .failed)
        #expect(node.retryCount == 2)
        #expect(node.doneCount == 3)
        #expect(node.exitCode == 3)
        #expect(home.workFile(run, "count") == "x\nx\nx\n")
    }

    @Test("retry limit given as a string is evaluated at run time")
    func retryLimitExpression() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("exprlimit", """
            params: RETRIES=1
            steps:
              - name: never
                command: 'echo x >> "$DAG_RUN_WORK_DIR/count"; exit 1'
                retry_policy: {limit: "${RETRIES}", interval_sec: "0"}
            """)
        let (status, run, output) = try home.start("exprlimit")
        #expect(status == 1, "\(output.stderr)")
        #expect(run.node(named: "never")?.retryCount == 1)
        #expect(home.workFile(run, "count") == "x\nx\n")
    }

    @Test("repeat while the exit code is listed")
    func repeatWhileExitCode() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("whilecode", """
            steps:
              - name: poll
                command: 'echo x >> "$DAG_RUN_WORK_DIR/n"; [ "$(wc -l < "$DAG_RUN_WORK_DIR/n")" -ge 3 ] || exit 75'
                repeat_policy: {repeat: while, exit_code: [75], interval_sec: 0}
            """)
        let (status, run, _) = try home.start("whilecode")
        #expect(status == 0)
        let node = try #require(run.node(named: "poll"))
        #expect(node.status == .succeeded)
        #expect(node.doneCount == 3)
        #expect(node.exitCode == 0)
    }

    @Test("repeat until the exit code is listed")
    func repeatUntilSuccess() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("untilok", """
            steps:
              - name: poll
                command: 'echo x >> "$DAG_RUN_WORK_DIR/n"; [ "$(wc -l < "$DAG_RUN_WORK_DIR/n")" -ge 4 ]'
                repeat_policy: {repeat: until, exit_code: [0], interval_sec: 0, limit: 10}
            """)
        let (status, run, _) = try home.start("untilok")
        #expect(status == 0)
        #expect(run.node(named: "poll")?.doneCount == 4)
        #expect(run.node(named: "poll")?.status == .succeeded)
    }

    @Test("repeat until a condition's output equals expected")
    func repeatUntilCondition() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("untilcond", """
            steps:
              - name: poll
                command: 'echo x >> "$DAG_RUN_WORK_DIR/n"'
                repeat_policy:
                  condition: "`cat $DAG_RUN_WORK_DIR/n | wc -l | tr -d ' '`"
                  expected: "re:^[5-9]$"
                  limit: 20
            """)
        let (status, run, _) = try home.start("untilcond")
        #expect(status == 0)
        #expect(run.node(named: "poll")?.doneCount == 5)
    }

    @Test("limit caps the executions of repeat: true")
    func repeatLimit() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("capped", """
            steps:
              - name: forever
                command: 'echo x >> "$DAG_RUN_WORK_DIR/n"'
                repeat_policy: {repeat: true, limit: 3, interval_sec: 0}
              - {name: next, command: "echo next"}
            """)
        let (status, run, _) = try home.start("capped")
        #expect(status == 0)
        #expect(run.node(named: "forever")?.doneCount == 3)
        #expect(home.workFile(run, "n") == "x\nx\nx\n")
        #expect(run.nodeStatuses == ["forever": "succeeded", "next": "succeeded"])
    }

    @Test("repeat while a condition command succeeds, then the step ends succeeded")
    func repeatWhileCondition() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("whilecond", """
            steps:
              - name: poll
                command: 'echo x >> "$DAG_RUN_WORK_DIR/n"'
                repeat_policy:
                  repeat: while
                  condition: 'test "$(wc -l < "$DAG_RUN_WORK_DIR/n")" -lt 2'
                  limit: 10
            """)
        let (status, run, _) = try home.start("whilecond")
        #expect(status == 0)
        #expect(run.node(named: "poll")?.doneCount == 2)
    }
}
