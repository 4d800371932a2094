import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §10 timeouts and stop, §12.1 max_active_steps and delay_sec.
@Suite("Run engine: timeouts, stop and scheduling limits (§10, §12.1)")
struct EngineStopTests {
    @Test("a step timeout is not retried even with a retry_policy: failed, 124, one execution")
    func timeoutNotRetried() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("slowretry", """
            max_clean_up_time_sec: 1
            steps:
              - name: slow
                command: 'echo x >> "$DAG_RUN_WORK_DIR/count"; sleep 30'
                timeout_sec: 1
                retry_policy: {limit: 3, interval_sec: 0}
              - {name: after, command: "echo after"}
            """)
        let (status, run, _) = try home.start("slowretry")
        #expect(status == 1)
        let node = try #require(run.node(named: "slow"))
        #expect(node.status == .failed)
        #expect(node.exitCode == 124)
        #expect(node.error == "step timed out after 1 s")
        #expect(node.retryCount == 0)
        #expect(node.doneCount == 1)
        #expect(home.workFile(run, "count") == "x\n")
        #expect(run.nodeStatuses == ["slow": "failed", "after": "aborted"])
        #expect(run.status == .failed)
    }

    @Test("a stop that comes while steps are still being launched reaches every one of them")
    func stopDuringLaunches() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        // 40 parallel steps: the stop lands while later ones are still being spawned.
        try home.dag("wide", """
            type: graph
            max_clean_up_time_sec: 2
            steps:
              - {name: s0, command: 'sleep 20'}
              - {name: s1, command: 'sleep 20'}
              - {name: s2, command: 'sleep 20'}
              - {name: s3, command: 'sleep 20'}
              - {name: s4, command: 'sleep 20'}
              - {name: s5, command: 'sleep 20'}
              - {name: s6, command: 'sleep 20'}
              - {name: s7, command: 'sleep 20'}
              - {name: s8, command: 'sleep 20'}
              - {name: s9, command: 'sleep 20'}
              - {name: s10, command: 'sleep 20'}
              - {name: s11, command: 'sleep 20'}
              - {name: s12, command: 'sleep 20'}
              - {name: s13, command: 'sleep 20'}
              - {name: s14, command: 'sleep 20'}
              - {name: s15, command: 'sleep 20'}
              - {name: s16, command: 'sleep 20'}
              - {name: s17, command: 'sleep 20'}
              - {name: s18, command: 'sleep 20'}
              - {name: s19, command: 'sleep 20'}
              - {name: s20, command: 'sleep 20'}
              - {name: s21, command: 'sleep 20'}
              - {name: s22, command: 'sleep 20'}
              - {name: s23, command: 'sleep 20'}
              - {name: s24, command: 'sleep 20'}
              - {name: s25, command: 'sleep 20'}
              - {name: s26, command: 'sleep 20'}
              - {name: s27, command: 'sleep 20'}
              - {name: s28, command: 'sleep 20'}
              - {name: s29, command: 'sleep 20'}
              - {name: s30, command: 'sleep 20'}
              - {name: s31, command: 'sleep 20'}
              - {name: s32, command: 'sleep 20'}
              - {name: s33, command: 'sleep 20'}
              - {name: s34, command: 'sleep 20'}
              - {name: s35, command: 'sleep 20'}
              - {name: s36, command: 'sleep 20'}
              - {name: s37, command: 'sleep 20'}
              - {name: s38, command: 'sleep 20'}
              - {name: s39, command: 'sleep 20'}
            """)
        let background = try home.startInBackground("wide")
        defer { background.stop() }
        try home.waitForNode(background, "s0", .running)
        #expect(try home.trellis(["stop", "wide"]).status == 0)
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "wide", runID: background.runID))
        #expect(run.status == .aborted)
        // Without the late signal, a step launched during the stop sleeps its 20 s and succeeds.
        let succeeded = run.nodeStatuses.filter { $0.value == "succeeded" }.keys.sorted()
        #expect(succeeded.isEmpty, "steps that missed the stop: \(succeeded)")
    }

    @Test("signal_on_stop: SIGINT is what the step's group receives on stop")
    func signalOnStop() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("intstop", """
            max_clean_up_time_sec: 60
            steps:
              - name: trapper
                signal_on_stop: SIGINT
                command: |
                  trap 'echo got-int > "$DAG_RUN_WORK_DIR/signal"; exit 130' INT
                  trap 'echo got-term > "$DAG_RUN_WORK_DIR/signal"; exit 143' TERM
                  touch "$DAG_RUN_WORK_DIR/ready"
                  while true; do sleep 0.05; done
            """)
        let background = try home.startInBackground("intstop")
        defer { background.stop() }
        try home.waitForNode(background, "trapper", .running)
        try home.waitForWorkFile(background, "ready")
        let begin = Date()
        #expect(try home.trellis(["stop", "intstop"]).status == 0)
        #expect(try background.exitStatus() == 1)
        // Far apart, so that a loaded machine cannot blur them: the trap ends it at once, the
        // SIGKILL would come after 60 s.
        #expect(Date().timeIntervalSince(begin) < 30, "ended by the INT trap, not by the SIGKILL after 60 s")
        let run = try #require(try home.latest(dag: "intstop", runID: background.runID))
        #expect(home.workFile(run, "signal") == "got-int\n")
        #expect(run.nodeStatuses == ["trapper": "aborted"])
        #expect(run.status == .aborted)
    }

    @Test("a stopped step that exits 0 on its stop signal is still aborted, and so is the run")
    func stoppedStepExitingZero() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("graceful", """
            steps:
              - name: graceful
                command: |
                  trap 'exit 0' TERM
                  touch "$DAG_RUN_WORK_DIR/ready"
                  while true; do sleep 0.05; done
            """)
        let background = try home.startInBackground("graceful")
        defer { background.stop() }
        try home.waitForNode(background, "graceful", .running)
        try home.waitForWorkFile(background, "ready")
        #expect(try home.trellis(["stop", "graceful"]).status == 0)
        let exit = try background.exitStatus()
        let run = try #require(try home.latest(dag: "graceful", runID: background.runID))
        #expect(exit == 1)
        #expect(run.nodeStatuses == ["graceful": "aborted"])
        #expect(run.status == .aborted)
    }

    @Test("a stop that arrives during the init handler starts no step: steps stay not_started")
    func stopDuringInit() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("initstop", """
            max_clean_up_time_sec: 1
            handler_on:
              init:
                command: |
                  touch "$DAG_RUN_WORK_DIR/ready"
                  for i in $(seq 600); do [ -f "$DAG_RUN_WORK_DIR/go" ] && exit 0; sleep 0.05; done
              abort: {command: 'echo "abort $DAG_RUN_STATUS" > "$DAG_RUN_WORK_DIR/abort"'}
            steps:
              - {name: a, command: 'touch "$DAG_RUN_WORK_DIR/a-ran"'}
              - {name: b, command: "echo b"}
            """)
        let background = try home.startInBackground("initstop")
        defer { background.stop() }
        try home.waitForWorkFile(background, "ready")
        #expect(try home.trellis(["stop", "initstop"]).status == 0)
        // Let the init handler end by itself, should the agent not signal it.
        let snapshot = try #require(try home.latest(dag: "initstop", runID: background.runID))
        _ = FileManager.default.createFile(atPath: home.runDirectory(snapshot) + "/work/go", contents: nil)
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "initstop", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(home.workFile(run, "abort") == "abort aborted\n")
        #expect(!FileManager.default.fileExists(atPath: home.runDirectory(run) + "/work/a-ran"))
        #expect(run.node(named: "a")?.status == .notStarted)
        #expect(run.node(named: "a")?.startedAt == nil)
        #expect(run.node(named: "b")?.status == .notStarted)
    }

    @Test("a DAG timeout fails the run and runs the failure then the exit handler")
    func dagTimeoutHandlers() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("deadline", """
            timeout_sec: 1
            max_clean_up_time_sec: 1
            handler_on:
              failure: {command: 'echo "failure $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
              abort: {command: 'echo "abort $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
              exit: {command: 'echo "exit $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
            steps:
              - {name: slow, command: "sleep 30"}
              - {name: next, command: "echo next"}
            """)
        let (status, run, _) = try home.start("deadline")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.error == "DAG timed out after 1 s")
        #expect(run.nodeStatuses == ["slow": "aborted", "next": "not_started", "onFailure": "succeeded", "onExit": "succeeded"])
        #expect(home.workFile(run, "order") == "failure failed\nexit failed\n")
    }

    @Test("Ctrl-C (SIGINT to a foreground trellis start) stops the run cleanly: aborted, exit 1")
    func controlC() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("ctrlc", """
            max_clean_up_time_sec: 1
            handler_on:
              abort: {command: 'echo "abort $DAG_RUN_STATUS" > "$DAG_RUN_WORK_DIR/abort"'}
            steps:
              - {name: long, command: "sleep 30"}
              - {name: never, command: "echo never"}
            """)
        let background = try home.startInBackground("ctrlc")
        defer { background.stop() }
        let node = try home.waitForNode(background, "long", .running)
        let pgid = try #require(node.pgid)
        kill(background.pid, SIGINT)
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "ctrlc", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(run.nodeStatuses == ["long": "aborted", "never": "not_started", "onAbort": "succeeded"])
        #expect(home.workFile(run, "abort") == "abort aborted\n")
        #expect(kill(-pgid, 0) == -1, "the step's group is gone")
    }

    @Test("SIGTERM to a foreground trellis start stops the run the same way")
    func sigterm() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("termed", """
            max_clean_up_time_sec: 1
            steps:
              - {name: long, command: "sleep 30"}
            """)
        let background = try home.startInBackground("termed")
        defer { background.stop() }
        try home.waitForNode(background, "long", .running)
        kill(background.pid, SIGTERM)
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "termed", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(run.nodeStatuses == ["long": "aborted"])
    }

    @Test("stop while a retry is waiting cancels the retry: node aborted, run aborted, no long wait")
    func stopWaitingRetry() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("waitretry", """
            steps:
              - name: failing
                command: 'echo x >> "$DAG_RUN_WORK_DIR/count"; exit 1'
                retry_policy: {limit: 5, interval_sec: 120}
              - {name: next, command: "echo next"}
            """)
        let background = try home.startInBackground("waitretry")
        defer { background.stop() }
        try home.waitForNode(background, "failing", .retrying)
        let begin = Date()
        #expect(try home.trellis(["stop", "waitretry"]).status == 0)
        #expect(try background.exitStatus(within: 90) == 1)
        #expect(Date().timeIntervalSince(begin) < 60, "the stop cancelled the 120 s wait")
        let run = try #require(try home.latest(dag: "waitretry", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(run.nodeStatuses == ["failing": "aborted", "next": "not_started"])
        #expect(run.node(named: "failing")?.retryCount == 0)
        #expect(home.workFile(run, "count") == "x\n")
    }

    @Test("max_active_steps: 1 runs three roots one at a time, in file order")
    func maxActiveSteps() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let step = #"echo "start $DAG_RUN_STEP_NAME $(date +%s%N)" >> "$DAG_RUN_WORK_DIR/log"; sleep 0.2; echo "end $DAG_RUN_STEP_NAME $(date +%s%N)" >> "$DAG_RUN_WORK_DIR/log""#
        try home.dag("serial", """
            type: graph
            max_active_steps: 1
            steps:
              - {name: r1, command: '\(step)'}
              - {name: r2, command: '\(step)'}
              - {name: r3, command: '\(step)'}
            """)
        let (status, run, output) = try home.start("serial")
        #expect(status == 0, "\(output.stderr)")
        let lines = home.workFile(run, "log").split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.map { "\($0[0]) \($0[1])" } == ["start r1", "end r1", "start r2", "end r2", "start r3", "end r3"])
        let stamps = lines.compactMap { $0.count == 3 ? Int($0[2]) : nil }
        #expect(stamps.count == 6 && stamps == stamps.sorted(), "intervals do not overlap: \(stamps)")
    }

    @Test("without max_active_steps the roots overlap")
    func unlimitedOverlap() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        // Each root waits until both have started, which needs them to run at the same time.
        let step = #"touch "$DAG_RUN_WORK_DIR/$DAG_RUN_STEP_NAME"; for i in $(seq 200); do [ -f "$DAG_RUN_WORK_DIR/r1" ] && [ -f "$DAG_RUN_WORK_DIR/r2" ] && exit 0; sleep 0.05; done; exit 1"#
        try home.dag("overlap", """
            type: graph
            steps:
              - {name: r1, command: '\(step)'}
              - {name: r2, command: '\(step)'}
            """)
        let (status, run, _) = try home.start("overlap")
        #expect(status == 0)
        #expect(run.nodeStatuses == ["r1": "succeeded", "r2": "succeeded"])
    }

    @Test("delay_sec pauses after launching each step")
    func delaySec() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("delayed", """
            type: graph
            delay_sec: 1
            steps:
              - {name: first, command: "true"}
              - {name: second, command: "true"}
            """)
        let (status, run, _) = try home.start("delayed")
        #expect(status == 0)
        let first = try #require(run.node(named: "first")?.startedAt)
        let second = try #require(run.node(named: "second")?.startedAt)
        #expect(second.timeIntervalSince(first) >= 0.95, "\(second.timeIntervalSince(first))")
    }
}
