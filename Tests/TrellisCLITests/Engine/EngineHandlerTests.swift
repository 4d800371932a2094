import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §9 handlers: which run, in which order, with which status and variables.
@Suite("Run engine: handlers (§9)")
struct EngineHandlerTests {
    /// Every handler appends "<name> <DAG_RUN_STATUS>" to `order` in the work dir.
    private static let allHandlers = """
        handler_on:
          init: {command: 'echo "init" >> "$DAG_RUN_WORK_DIR/order"'}
          success: {command: 'echo "success $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
          failure: {command: 'echo "failure $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
          abort: {command: 'echo "abort $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}
          exit: {command: 'echo "exit $DAG_RUN_STATUS" >> "$DAG_RUN_WORK_DIR/order"'}

        """

    @Test("success: init, steps, success, exit — failure and abort handlers do not run")
    func successOrder() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("happy", Self.allHandlers + """
            steps:
              - {name: a, command: 'echo a >> "$DAG_RUN_WORK_DIR/order"'}
              - {name: b, command: 'echo b >> "$DAG_RUN_WORK_DIR/order"'}
            """)
        let (status, run, _) = try home.start("happy")
        #expect(status == 0)
        #expect(home.workFile(run, "order") == "init\na\nb\nsuccess succeeded\nexit succeeded\n")
        #expect(run.nodeStatuses == ["a": "succeeded", "b": "succeeded", "onInit": "succeeded",
                                     "onSuccess": "succeeded", "onExit": "succeeded"])
    }

    @Test("partially_succeeded runs the success handler with DAG_RUN_STATUS=partially_succeeded")
    func partialOrder() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("halfway", Self.allHandlers + """
            steps:
              - {name: a, command: "exit 1", continue_on: failed}
              - {name: b, command: 'echo b >> "$DAG_RUN_WORK_DIR/order"'}
            """)
        let (status, run, _) = try home.start("halfway")
        #expect(status == 0)
        #expect(home.workFile(run, "order") == "init\nb\nsuccess partially_succeeded\nexit partially_succeeded\n")
    }

    @Test("failure: init, steps, failure, exit")
    func failureOrder() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("sad", Self.allHandlers + """
            steps:
              - {name: a, command: 'echo a >> "$DAG_RUN_WORK_DIR/order"; exit 1'}
              - {name: b, command: "echo b"}
            """)
        let (status, run, _) = try home.start("sad")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(home.workFile(run, "order") == "init\na\nfailure failed\nexit failed\n")
        #expect(run.nodeStatuses == ["a": "failed", "b": "aborted", "onInit": "succeeded",
                                     "onFailure": "succeeded", "onExit": "succeeded"])
    }

    @Test("abort (stop): abort then exit run, not stopped by the stop that triggered them")
    func abortOrder() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("halted", Self.allHandlers + """
            max_clean_up_time_sec: 1
            steps:
              - {name: a, command: 'echo a >> "$DAG_RUN_WORK_DIR/order"; sleep 30'}
            """)
        let background = try home.startInBackground("halted")
        defer { background.stop() }
        try home.waitForNode(background, "a", .running)
        #expect(try home.trellis(["stop", "halted"]).status == 0)
        #expect(try background.exitStatus() == 1)
        let run = try #require(try home.latest(dag: "halted", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(home.workFile(run, "order") == "init\na\nabort aborted\nexit aborted\n")
        #expect(run.nodeStatuses == ["a": "aborted", "onInit": "succeeded", "onAbort": "succeeded", "onExit": "succeeded"])
    }

    @Test("init failure: run aborted, steps not_started, abort then exit run")
    func initFailure() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("noinit", Self.allHandlers.replacingOccurrences(
            of: #"init: {command: 'echo "init" >> "$DAG_RUN_WORK_DIR/order"'}"#,
            with: #"init: {command: 'echo "init" >> "$DAG_RUN_WORK_DIR/order"; exit 1'}"#) + """
            steps:
              - {name: a, command: 'echo a >> "$DAG_RUN_WORK_DIR/order"'}
            """)
        let (status, run, _) = try home.start("noinit")
        #expect(status == 1)
        #expect(run.status == .aborted)
        #expect(home.workFile(run, "order") == "init\nabort aborted\nexit aborted\n")
        #expect(run.nodeStatuses == ["a": "not_started", "onInit": "failed", "onAbort": "succeeded", "onExit": "succeeded"])
    }

    @Test("an unmet DAG precondition runs abort and exit, not init")
    func preconditionHandlers() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("closed", Self.allHandlers + """
            preconditions: "test -f /nonexistent/trellis-precondition"
            steps:
              - {name: a, command: 'echo a >> "$DAG_RUN_WORK_DIR/order"'}
            """)
        let (status, run, _) = try home.start("closed")
        #expect(status == 1)
        #expect(run.status == .aborted)
        #expect(home.workFile(run, "order") == "abort aborted\nexit aborted\n")
        #expect(run.nodeStatuses == ["a": "not_started", "onAbort": "succeeded", "onExit": "succeeded"])
    }

    @Test("a handler's unmet precondition skips it; a skipped handler does not fail the run")
    func handlerPrecondition() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("picky", """
            handler_on:
              success: {command: 'echo success >> "$DAG_RUN_WORK_DIR/order"', preconditions: "false"}
              exit:
                command: 'echo exit >> "$DAG_RUN_WORK_DIR/order"'
                preconditions: [{condition: "$DAG_RUN_STATUS", expected: "succeeded"}]
            steps:
              - {name: a, command: "echo a"}
            """)
        let (status, run, _) = try home.start("picky")
        #expect(status == 0)
        #expect(run.status == .succeeded)
        #expect(run.nodeStatuses == ["a": "succeeded", "onSuccess": "skipped", "onExit": "succeeded"])
        #expect(home.workFile(run, "order") == "exit\n")
    }

    @Test("a failing success handler turns the run failed; exit 1")
    func failingSuccessHandler() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("spoil", """
            handler_on:
              success: {command: "exit 4"}
              exit: {command: 'echo "exit $DAG_RUN_STATUS" > "$DAG_RUN_WORK_DIR/exit"'}
            steps:
              - {name: a, command: "echo a"}
            """)
        let (status, run, _) = try home.start("spoil")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.nodeStatuses == ["a": "succeeded", "onSuccess": "failed", "onExit": "succeeded"])
        #expect(run.handlers["onSuccess"]?.exitCode == 4)
        #expect(run.error != nil)
    }

    @Test("handlers see every output variable and DAG_RUN_STEP_NAME, but no step stdout file")
    func handlerVariables() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("seeing", """
            handler_on:
              exit:
                command: 'echo "[${LEFT}] [${RIGHT}] [$DAG_RUN_STEP_NAME] [$DAG_RUN_STEP_STDOUT_FILE] [$DAG_RUN_STATUS]"'
            steps:
              - {name: l, depends: [], command: "echo left-value", output: LEFT}
              - {name: r, depends: [], command: "echo right-value", output: RIGHT}
            """)
        let (status, run, _) = try home.start("seeing")
        #expect(status == 0)
        #expect(home.stepLog(run, "onExit") == "[left-value] [right-value] [onExit] [] [succeeded]\n")
    }
}
