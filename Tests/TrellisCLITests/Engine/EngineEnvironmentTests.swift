import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §5 environment: precedence, evaluation order, dotenv, host filtering, built-ins.
@Suite("Run engine: environment (§5)")
struct EngineEnvironmentTests {
    @Test("precedence: host < params < DAG env < built-ins < outputs < step env")
    func precedence() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("prec", """
            params:
              - TRELLIS_V1=param
              - V2=param
            env:
              - V2: env
              - DAG_NAME: fake
              - V3: env
              - V4: env
            steps:
              - {name: p3, command: "echo out3", output: V3}
              - {name: p4, command: "echo out4", output: V4}
              - name: show
                env:
                  - V4: step
                script: |
                  for name in TRELLIS_V0 TRELLIS_V1 V2 DAG_NAME V3 V4; do
                    echo "$name=$(printenv $name)"
                  done
            """)
        let (status, run, output) = try home.start("prec", withEnvironment: ["TRELLIS_V0": "host", "TRELLIS_V1": "host"])
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "show") == """
            TRELLIS_V0=host
            TRELLIS_V1=param
            V2=env
            DAG_NAME=prec
            V3=out3
            V4=step

            """)
    }

    @Test("env entries are evaluated in file order, each seeing params and earlier entries")
    func fileOrder() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("order", """
            params: P=p
            env:
              - A: "${P}1"
              - B: "${A}2"
              - C: "$B-3"
            steps:
              - {name: show, command: 'echo "$A $B $C"; printenv C'}
            """)
        let (status, run, _) = try home.start("order")
        #expect(status == 0)
        #expect(home.stepLog(run, "show") == "p1 p12 p12-3\np12-3\n")
    }

    @Test("the .env next to the DAG is loaded; a later dotenv file overrides it")
    func dotenv() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dir.write("dags/.env", "# comment\nDOT_A=from-dotenv\nexport DOT_B=\"quoted value\"\nDOT_C=first\n")
        try home.dir.write("dags/extra.env", "DOT_C=second\n")
        try home.dag("dotted", """
            dotenv: extra.env
            steps:
              - {name: show, command: 'printenv DOT_A DOT_B DOT_C'}
            """)
        let (status, run, output) = try home.start("dotted")
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "show") == "from-dotenv\nquoted value\nsecond\n")
    }

    @Test("the host environment is filtered: SECRET_X is not visible, TRELLIS_*, LANG and PATH are")
    func hostFilter() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("filtered", """
            steps:
              - name: show
                command: 'echo "s=[$SECRET_X] t=[$TRELLIS_FOO] l=[$LANG] d=[$DAGU_BAR]"; printenv SECRET_X || echo no-secret; printenv NOT_LISTED || echo no-other'
            """)
        let (status, run, _) = try home.start("filtered", withEnvironment: [
            "SECRET_X": "1", "NOT_LISTED": "2", "TRELLIS_FOO": "foo", "LANG": "C.UTF-8", "DAGU_BAR": "bar",
        ])
        #expect(status == 0)
        #expect(home.stepLog(run, "show") == "s=[] t=[foo] l=[C.UTF-8] d=[bar]\nno-secret\nno-other\n")
    }

    @Test("backticks in env values are command substitutions (trimmed)")
    func backticks() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("ticks", """
            env:
              - BASE: base
              - COMPUTED: "`echo \\"  $BASE-computed  \\"`"
            steps:
              - name: show
                env:
                  - STEP_VALUE: "`printf step`"
                command: 'printenv COMPUTED STEP_VALUE'
            """)
        let (status, run, output) = try home.start("ticks")
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "show") == "base-computed\nstep\n")
    }

    @Test("built-ins: DAG_NAME, DAG_RUN_ID, DAG_RUN_LOG_FILE, DAG_RUN_WORK_DIR, step name and stdout file, DAG_PARAMS_JSON")
    func builtins() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("builtin", """
            name: built-in-name
            params: P=v
            steps:
              - name: the step
                script: |
                  for name in DAG_NAME DAG_RUN_ID DAG_RUN_LOG_FILE DAG_RUN_WORK_DIR DAG_RUN_STEP_NAME \\
                      DAG_RUN_STEP_STDOUT_FILE DAG_RUN_STEP_STDERR_FILE DAG_PARAMS_JSON DAGU_PARAMS_JSON; do
                    echo "$name=$(printenv $name)"
                  done
            """)
        let output = try home.trellis(["start", "builtin"])
        #expect(output.status == 0, "\(output.stderr)")
        let runID = output.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let run = try #require(try home.latest(dag: "built-in-name", runID: runID))
        let node = try #require(run.node(named: "the step"))
        var values: [String: String] = [:]
        for line in home.stepLog(run, "the step").split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            values[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        #expect(values["DAG_NAME"] == "built-in-name")
        #expect(values["DAG_RUN_ID"] == runID)
        #expect(values["DAG_RUN_LOG_FILE"] == run.log)
        #expect(values["DAG_RUN_LOG_FILE"] == home.runDirectory(run) + "/run.log")
        #expect(values["DAG_RUN_WORK_DIR"] == home.runDirectory(run) + "/work")
        #expect(values["DAG_RUN_STEP_NAME"] == "the step")
        #expect(values["DAG_RUN_STEP_STDOUT_FILE"] == node.stdout)
        #expect(values["DAG_RUN_STEP_STDERR_FILE"] == node.stderr)
        #expect(values["DAG_PARAMS_JSON"] == #"{"P":"v"}"#)
        #expect(values["DAGU_PARAMS_JSON"] == #"{"P":"v"}"#)
        #expect(FileManager.default.fileExists(atPath: run.log))
    }

    @Test("without params DAG_PARAMS_JSON is not set")
    func noParamsJSON() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("bare", """
            steps:
              - {name: show, command: 'printenv DAG_PARAMS_JSON || echo unset'}
            """)
        let (status, run, _) = try home.start("bare")
        #expect(status == 0)
        #expect(home.stepLog(run, "show") == "unset\n")
    }
}

/// §4 params as seen by steps.
@Suite("Run engine: params (§4)")
struct EngineParamTests {
    @Test("a typed integer param is coerced: batch=50 becomes the number 50 in DAG_PARAMS_JSON")
    func typedCoercion() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("typed", """
            params:
              - {name: batch, type: integer, default: 25, minimum: 1}
              - {name: flag, type: boolean, default: false}
            steps:
              - {name: show, command: 'echo "batch=$batch flag=$flag"; printenv DAG_PARAMS_JSON'}
            """)
        let (status, run, output) = try home.start("typed", params: ["batch=50", "flag=true"])
        #expect(status == 0, "\(output.stderr)")
        let lines = home.stepLog(run, "show").split(separator: "\n").map(String.init)
        #expect(lines.first == "batch=50 flag=true")
        let json = try #require(try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any])
        #expect(json["batch"] as? String == nil, "not a string")
        #expect((json["batch"] as? NSNumber)?.intValue == 50)
        #expect((json["flag"] as? NSNumber)?.boolValue == true)
        #expect(run.params == "batch=50 flag=true")
    }

    @Test("positional params are $1, $2; a positional override replaces the first")
    func positional() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("pos", """
            params: first second
            steps:
              - {name: show, command: 'echo "1=$1 2=$2"'}
            """)
        let (status, run, _) = try home.start("pos")
        #expect(status == 0)
        #expect(home.stepLog(run, "show") == "1=first 2=second\n")
        let (_, overridden, _) = try home.start("pos", params: ["changed"])
        #expect(home.stepLog(overridden, "show") == "1=changed 2=second\n")
    }

    @Test("a JSON object from -p overrides named params; DAG_PARAMS_JSON is the raw JSON")
    func jsonParams() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("jsonp", """
            params:
              - A: default
              - B: kept
            steps:
              - {name: show, command: 'echo "A=$A B=$B"; printenv DAG_PARAMS_JSON'}
            """)
        let (status, run, output) = try home.start("jsonp", ["-p", #"{"A":"x"}"#])
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "show") == "A=x B=kept\n{\"A\":\"x\"}\n")
    }

    @Test("an eval default is computed when the run is built")
    func evalDefault() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("evald", """
            params:
              - {name: D, eval: "`echo computed`"}
              - {name: N, type: integer, eval: "`expr 40 + 2`"}
            steps:
              - {name: show, command: 'echo "D=$D N=$N"'}
            """)
        let (status, run, output) = try home.start("evald")
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "show") == "D=computed N=42\n")
    }
}
