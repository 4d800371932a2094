import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("Step DTO (API §9.4)")
struct StepDTOTests {
    @Test("a minimal command step: name, split command, empty depends and preconditions, nothing else")
    func minimal() throws {
        let step = try DTOTest.step("steps:\n  - name: hello\n    command: echo hello\n")
        DTOTest.expectJSON(StepDTO.render(step), """
            {"name":"hello","commands":[{"command":"echo","args":["hello"]}],"depends":[],"preconditions":[]}
            """)
    }

    @Test("commands are split into program and arguments with shell quoting",
          arguments: [
              ("echo hello", #"[{"command":"echo","args":["hello"]}]"#),
              ("ls", #"[{"command":"ls","args":[]}]"#),
              (#"echo "hello world" 'a  b' c\ d"#, #"[{"command":"echo","args":["hello world","a  b","c d"]}]"#),
              (#"sh -c "echo \"quoted\"""#, #"[{"command":"sh","args":["-c","echo \"quoted\""]}]"#),
              ("  python3   main.py  --flag=1  ", #"[{"command":"python3","args":["main.py","--flag=1"]}]"#),
          ])
    func commandSplitting(command: String, expected: String) throws {
        var step = Step(name: "s")
        step.commands = [command]
        DTOTest.expectJSON(.array(StepDTO.commandEntries(step)), expected)
    }

    @Test("a command list gives one entry per command, in order")
    func commandList() throws {
        let step = try DTOTest.step("""
            steps:
              - name: many
                command:
                  - echo one
                  - "grep -c 'two three' file.txt"
            """)
        DTOTest.expectJSON(StepDTO.render(step)["commands"], """
            [{"command":"echo","args":["one"]},{"command":"grep","args":["-c","two three","file.txt"]}]
            """)
    }

    @Test("a script-only step has commands [] and its script")
    func scriptOnly() throws {
        let step = try DTOTest.step("steps:\n  - name: s\n    script: |\n      echo a\n      echo b\n")
        let json = StepDTO.render(step)
        DTOTest.expectJSON(json["commands"], "[]")
        #expect(json["script"] == .string("echo a\necho b\n"))
        #expect(json["executorConfig"] == nil)
    }

    @Test("every optional field of a command step, with the Trellis additions")
    func fullCommandStep() throws {
        let dag = try DTOTest.dag("""
            type: graph
            steps:
              - name: first
                command: "true"
              - name: main
                id: main_id
                description: Does the work
                working_dir: /tmp/work
                command: ./run.sh --fast
                stdout: /tmp/out.log
                stderr: /tmp/err.log
                output: $RESULT
                depends: [first]
                continue_on:
                  failed: true
                  exit_code: [3, 4]
                  output: ["re:^WARN"]
                  mark_success: true
                retry_policy:
                  limit: 3
                  interval_sec: 5
                  exit_code: [1]
                  backoff: 1.5
                  max_interval_sec: 60
                repeat_policy:
                  repeat: until
                  condition: "`cat status`"
                  expected: done
                  interval_sec: 10
                  limit: 5
                  backoff: true
                  max_interval_sec: 120
                preconditions:
                  - condition: test -f /tmp/x
                  - condition: "$ENV"
                    expected: prod
                    negate: true
                timeout_sec: 30
                signal_on_stop: SIGINT
            """)
        let step = try #require(dag.steps.last)
        DTOTest.expectJSON(StepDTO.render(step), """
            {"name":"main","id":"main_id","description":"Does the work","dir":"/tmp/work",
             "commands":[{"command":"./run.sh","args":["--fast"]}],
             "stdout":"/tmp/out.log","stderr":"/tmp/err.log","output":"RESULT","depends":["first"],
             "continueOn":{"skipped":false,"failed":true,"exitCode":[3,4],"output":["re:^WARN"],"markSuccess":true},
             "retryPolicy":{"limit":3,"intervalSec":5,"exitCode":[1],"backoff":1.5,"maxIntervalSec":60},
             "repeatPolicy":{"repeat":"until","interval":10,"limit":5,"backoff":2,"maxIntervalSec":120,
                             "condition":{"condition":"`cat status`","expected":"done"},"exitCode":[]},
             "preconditions":[{"condition":"test -f /tmp/x"},{"condition":"$ENV","expected":"prod","negate":true}],
             "timeoutSec":30,"signalOnStop":"SIGINT"}
            """)
    }

    @Test("continue_on: skipped alone; an unset continue_on is omitted")
    func continueOnShapes() throws {
        let step = try DTOTest.step("steps:\n  - name: a\n    command: x\n    continue_on: skipped\n")
        DTOTest.expectJSON(StepDTO.render(step)["continueOn"], """
            {"skipped":true,"failed":false,"exitCode":[],"output":[],"markSuccess":false}
            """)
        let plain = try DTOTest.step("steps:\n  - name: a\n    command: x\n")
        #expect(StepDTO.render(plain)["continueOn"] == nil)
        #expect(StepDTO.render(plain)["retryPolicy"] == nil)
        #expect(StepDTO.render(plain)["repeatPolicy"] == nil)
    }

    @Test("retry_policy with run-time expressions keeps them as strings; minimal policy shape")
    func retryExpressions() throws {
        let step = try DTOTest.step("""
            steps:
              - name: a
                command: x
                retry_policy:
                  limit: "${RETRIES}"
                  interval_sec: "${WAIT}"
            """)
        DTOTest.expectJSON(StepDTO.render(step)["retryPolicy"], """
            {"limit":"${RETRIES}","intervalSec":"${WAIT}","exitCode":[]}
            """)
        let simple = try DTOTest.step("steps:\n  - name: a\n    command: x\n    retry_policy: {limit: 2}\n")
        DTOTest.expectJSON(StepDTO.render(simple)["retryPolicy"], #"{"limit":2,"intervalSec":0,"exitCode":[]}"#)
    }

    @Test("repeat_policy: bare repeat and while with exit codes")
    func repeatShapes() throws {
        let bare = try DTOTest.step("steps:\n  - name: a\n    command: x\n    repeat_policy: {repeat: true, limit: 3}\n")
        DTOTest.expectJSON(StepDTO.render(bare)["repeatPolicy"], #"{"repeat":"while","limit":3,"exitCode":[]}"#)
        let codes = try DTOTest.step("steps:\n  - name: a\n    command: x\n    repeat_policy: {exit_code: [1, 2], interval_sec: 4}\n")
        DTOTest.expectJSON(StepDTO.render(codes)["repeatPolicy"], #"{"repeat":"while","interval":4,"exitCode":[1,2]}"#)
    }

    @Test("http: {command: METHOD, args: [URL]} and executorConfig {type: http, config: with}")
    func httpStep() throws {
        let step = try DTOTest.step("""
            steps:
              - name: notify
                type: http
                command: post https://hooks.example.com/build?x=1
                with:
                  headers: {Content-Type: application/json}
                  timeout: 10
                  expectedStatus: [200, 202]
            """)
        DTOTest.expectJSON(StepDTO.render(step), """
            {"name":"notify","commands":[{"command":"POST","args":["https://hooks.example.com/build?x=1"]}],
             "depends":[],"preconditions":[],
             "executorConfig":{"type":"http","config":{"headers":{"Content-Type":"application/json"},"timeout":10,
                                                      "expected_status":[200,202]}}}
            """)
    }

    @Test("sub-DAG step: call and params, commands [], executorConfig type dag with empty config")
    func subDAGStep() throws {
        let step = try DTOTest.step("""
            steps:
              - name: child
                call: transform
                params: "A=1 B=\\"two words\\""
            """)
        DTOTest.expectJSON(StepDTO.render(step), """
            {"name":"child","commands":[],"call":"transform","params":"A=1 B=\\"two words\\"","depends":[],
             "preconditions":[],"executorConfig":{"type":"dag","config":{}}}
            """)
    }

    @Test("sub-DAG params given as a map become one string; the type as written is kept")
    func subDAGParamsMap() throws {
        let step = try DTOTest.step("""
            steps:
              - name: child
                type: subworkflow
                call: transform
                params:
                  A: 1
                  B: two words
            """)
        let json = StepDTO.render(step)
        #expect(json["params"] == .string(#"A="1" B="two words""#))
        DTOTest.expectJSON(json["executorConfig"], #"{"type":"subworkflow","config":{}}"#)
    }

    @Test("parallel step: a static list (strings, numbers, maps) and maxConcurrent")
    func parallelList() throws {
        let step = try DTOTest.step("""
            steps:
              - name: fan
                call: worker
                params: "ITEM=${ITEM}"
                parallel:
                  items: [a, 2, {region: eu}]
                  max_concurrent: 3
            """)
        DTOTest.expectJSON(StepDTO.render(step), """
            {"name":"fan","commands":[],"call":"worker","params":"ITEM=${ITEM}",
             "parallel":{"items":["a","2","{\\"region\\":\\"eu\\"}"],"maxConcurrent":3},
             "depends":[],"preconditions":[],"executorConfig":{"type":"parallel","config":{}}}
            """)
    }

    @Test("parallel step: a ${VAR} reference stays a string; default maxConcurrent 10")
    func parallelReference() throws {
        let step = try DTOTest.step("steps:\n  - name: fan\n    call: worker\n    parallel: ${ITEMS}\n")
        DTOTest.expectJSON(StepDTO.render(step)["parallel"], #"{"items":"${ITEMS}","maxConcurrent":10}"#)
    }

    @Test("a chain's inferred depends are shown; a root step has depends []")
    func chainDepends() throws {
        let dag = try DTOTest.dag("steps:\n  - name: a\n    command: x\n  - name: b\n    command: y\n")
        DTOTest.expectJSON(StepDTO.render(dag.steps[0])["depends"], "[]")
        DTOTest.expectJSON(StepDTO.render(dag.steps[1])["depends"], #"["a"]"#)
    }

    @Test("a bare step built from a name only has just name and the always-present arrays")
    func bareStep() {
        DTOTest.expectJSON(StepDTO.render(Step(name: "ghost")),
                           #"{"name":"ghost","commands":[],"depends":[],"preconditions":[]}"#)
    }

    @Test("a blank command is skipped rather than shown as an empty program")
    func blankCommand() {
        #expect(StepDTO.commandEntry("   ") == nil)
    }
}
