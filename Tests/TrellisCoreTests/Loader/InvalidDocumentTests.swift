import Foundation
import Testing
@testable import TrellisCore

/// One invalid DAG file and the exact error it must produce.
struct InvalidDocument: Sendable, CustomTestStringConvertible {
    /// Short name of the problem (the test case's label).
    var problem: String
    var yaml: String
    /// The error's field path (`""` for the whole document).
    var path: String
    /// A distinctive part of the error message.
    var message: String
    /// The 1-based line; `nil` when the problem has no line.
    var line: Int?
    /// How many errors the document has in total (this one included).
    var errorCount = 1
    var fileName = "invalid.yaml"

    var testDescription: String { problem }
}

/// DAG-FORMAT §1–§9, §15.1: invalid documents are rejected with the field path, a clear message
/// and the YAML line; every problem is reported at once.
@Suite("Loader: invalid documents")
struct InvalidDocumentTests {
    static let cases: [InvalidDocument] = [
        // §1.3 keys
        InvalidDocument(problem: "unknown step key with did-you-mean", yaml: """
            steps:
              - name: a
                comand: echo hi
            """, path: "steps[0]", message: #"unknown key "comand"; did you mean "command"?"#, line: 3,
            errorCount: 2),  // the step then has nothing to run
        InvalidDocument(problem: "unknown top-level key with did-you-mean", yaml: """
            nmae: x
            steps: [echo]
            """, path: "", message: #"unknown key "nmae"; did you mean "name"?"#, line: 1),
        InvalidDocument(problem: "unknown top-level key without a suggestion", yaml: """
            steps: [echo]
            frobnicate: true
            """, path: "", message: #"unknown key "frobnicate""#, line: 2),
        InvalidDocument(problem: "unknown key in continue_on with did-you-mean", yaml: """
            steps:
              - name: a
                command: echo
                continue_on: {failed: true, exit_codes: [1]}
            """, path: "steps[0].continue_on", message: #"unknown key "exit_codes"; did you mean "exit_code"?"#, line: 4),
        InvalidDocument(problem: "both spellings of one field", yaml: """
            steps:
              - name: a
                command: echo
                retryPolicy: {limit: 1}
                retry_policy: {limit: 2}
            """, path: "steps[0]", message: #"both "retryPolicy" and "retry_policy" are set"#, line: 5),
        InvalidDocument(problem: "labels and tags together", yaml: """
            labels: a
            tags: b
            steps: [echo]
            """, path: "", message: #"both "labels" and "tags" are set; they are the same field "labels""#, line: 2),

        // §1.2 names
        InvalidDocument(problem: "invalid DAG name", yaml: """
            name: "bad name!"
            steps: [echo]
            """, path: "name", message: #"DAG name "bad name!" is invalid"#, line: 1),
        InvalidDocument(problem: "DAG name longer than 40 characters", yaml: """
            name: \(String(repeating: "n", count: 41))
            steps: [echo]
            """, path: "name", message: #"DAG name "\#(String(repeating: "n", count: 41))" is invalid: use 1-40 characters"#, line: 1),
        InvalidDocument(problem: "DAG name ..", yaml: """
            name: ..
            steps: [echo]
            """, path: "name", message: #"DAG name ".." is invalid"#, line: 1),
        InvalidDocument(problem: "invalid file name", yaml: "steps: [echo]\n",
                        path: "", message: #"file name "my dag" is invalid"#, line: nil, fileName: "my dag.yaml"),
        InvalidDocument(problem: "invalid step id", yaml: """
            steps:
              - name: a
                id: 1abc
                command: echo
            """, path: "steps[0].id", message: #"step id "1abc" is invalid: it must start with a letter"#, line: 3),
        InvalidDocument(problem: "step id longer than 40 characters", yaml: """
            steps:
              - id: a\(String(repeating: "b", count: 40))
                command: echo
            """, path: "steps[0].id", message: "have at most 40 characters", line: 2),
        InvalidDocument(problem: "reserved step id", yaml: """
            steps:
              - name: a
                command: echo
              - name: b
                id: outputs
                command: echo
            """, path: "steps[1].id", message: #"step id "outputs" is reserved"#, line: 5),
        InvalidDocument(problem: "step name longer than 255 characters", yaml: """
            steps:
              - name: \(String(repeating: "s", count: 256))
                command: echo
            """, path: "steps[0].name", message: "must have 1-255 characters", line: 2),
        InvalidDocument(problem: "duplicate step names", yaml: """
            steps:
              - name: a
                command: echo 1
              - name: a
                command: echo 2
            """, path: "steps", message: #"step name "a" is used twice (lines 2 and 4)"#, line: 4),
        InvalidDocument(problem: "a step named like a handler node", yaml: """
            handler_on:
              exit:
                command: echo bye
            steps:
              - name: onExit
                command: echo
            """, path: "steps", message: #"step name "onExit" is used twice"#, line: 3),
        InvalidDocument(problem: "duplicate step ids", yaml: """
            steps:
              - name: a
                id: same
                command: echo
              - name: b
                id: same
                command: echo
            """, path: "steps", message: #"step id "same" is used by both "a" and "b""#, line: 5),

        // §3 steps, type, depends
        InvalidDocument(problem: "empty steps", yaml: "steps: []\n",
                        path: "steps", message: "is empty; a DAG needs at least one step", line: 1),
        InvalidDocument(problem: "missing steps", yaml: "description: nothing to do\n",
                        path: "steps", message: "is required; a DAG needs at least one step", line: 1),
        InvalidDocument(problem: "empty file", yaml: "# only a comment\n",
                        path: "steps", message: "the file is empty", line: nil),
        InvalidDocument(problem: "steps as a map", yaml: """
            steps:
              a:
                command: echo
            """, path: "steps", message: "the map form of steps (name: step) is not supported yet", line: 2),
        InvalidDocument(problem: "document is a list", yaml: "- name: a\n  command: echo\n",
                        path: "", message: "must be a map, found a list", line: 1),
        InvalidDocument(problem: "type chain with depends", yaml: """
            type: chain
            steps:
              - name: a
                command: echo
              - name: b
                depends: a
                command: echo
            """, path: "steps[1].depends",
            message: #"step "b" declares depends, but the DAG type is chain; remove "type: chain" or use "type: graph""#, line: 6),
        InvalidDocument(problem: "invalid DAG type", yaml: """
            type: dag
            steps: [echo]
            """, path: "type", message: #"must be "chain" or "graph", found "dag""#, line: 1),
        InvalidDocument(problem: "unknown depends target with did-you-mean", yaml: """
            steps:
              - name: extract
                command: echo
              - name: load
                depends: extrct
                command: echo
            """, path: "steps[1].depends", message: #"unknown step "extrct"; did you mean "extract"?"#, line: 5),
        InvalidDocument(problem: "self-dependency", yaml: """
            steps:
              - name: a
                depends: a
                command: echo
            """, path: "steps", message: "cycle: a -> a", line: 3),
        InvalidDocument(problem: "three-step cycle", yaml: """
            steps:
              - name: a
                depends: b
                command: echo
              - name: b
                depends: c
                command: echo
              - name: c
                depends: a
                command: echo
            """, path: "steps", message: "cycle: a -> b -> c -> a", line: 3),
        InvalidDocument(problem: "nested list in a graph", yaml: """
            type: graph
            steps:
              - name: a
                command: echo
              - - name: b
                  command: echo
                - name: c
                  command: echo
            """, path: "steps[1]", message: "a nested list (parallel group) is only allowed in a chain", line: 5),
        InvalidDocument(problem: "parallel group inside a parallel group", yaml: """
            steps:
              - - - name: a
                    command: echo
            """, path: "steps[0][0]", message: "parallel groups cannot be nested", line: 2),
        InvalidDocument(problem: "step with nothing to run", yaml: """
            steps:
              - name: idle
            """, path: "steps[0]", message: "the step has nothing to run", line: 2),

        // §4 params
        InvalidDocument(problem: "duplicate param names", yaml: """
            params:
              - A=1
              - A=2
            steps: [echo]
            """, path: "params", message: #"param "A" is defined twice"#, line: 2),
        InvalidDocument(problem: "typed definition with only a name", yaml: """
            params:
              - name: only
            steps: [echo]
            """, path: "params[0]", message: #"param "only" must define at least one field besides name"#, line: 2),
        InvalidDocument(problem: "older nested param form", yaml: """
            params:
              - region:
                  type: string
            steps: [echo]
            """, path: "params[0]", message: #"the nested form "- region: {type: …}" is not supported; write "- {name: region, type: …}""#, line: 2),
        InvalidDocument(problem: "unsupported param type", yaml: """
            params:
              - name: ratio
                type: float
            steps: [echo]
            """, path: "params[0].type", message: #"unsupported param type "float""#, line: 3),
        InvalidDocument(problem: "schema required names an unknown property", yaml: """
            params:
              type: object
              properties:
                region: {type: string}
              required: [region, zone]
            steps: [echo]
            """, path: "params.required", message: #""zone" is required but is not one of the properties"#, line: 5),
        InvalidDocument(problem: "invalid param name", yaml: """
            params: {my-param: 1}
            steps: [echo]
            """, path: "params.my-param", message: #"param name "my-param" is invalid"#, line: 1),
        InvalidDocument(problem: "params string that looks like broken JSON", yaml: """
            params: '{"a": '
            steps: [echo]
            """, path: "params", message: "params look like JSON but do not parse", line: 1),

        // §5 env, §2 scalar fields
        InvalidDocument(problem: "env as a scalar", yaml: """
            env: just a string
            steps: [echo]
            """, path: "env", message: "must be a map or a list, found a scalar", line: 1),
        InvalidDocument(problem: "env list item without =", yaml: """
            env:
              - FOO
            steps: [echo]
            """, path: "env[0]", message: #""FOO" must have the form NAME=value"#, line: 2),
        InvalidDocument(problem: "env value that is a list", yaml: """
            steps:
              - name: a
                command: echo
                env: {A: [1]}
            """, path: "steps[0].env.A", message: "must be a string, found a list", line: 4),
        InvalidDocument(problem: "negative timeout_sec", yaml: """
            timeout_sec: -1
            steps: [echo]
            """, path: "timeout_sec", message: "must be at least 0, found -1", line: 1),
        InvalidDocument(problem: "max_active_runs 0", yaml: """
            max_active_runs: 0
            steps: [echo]
            """, path: "max_active_runs", message: "must be at least 1, found 0", line: 1),
        InvalidDocument(problem: "non-boolean skip_if_successful", yaml: """
            skip_if_successful: maybe
            steps: [echo]
            """, path: "skip_if_successful", message: #"must be true or false, found "maybe""#, line: 1),
        InvalidDocument(problem: "invalid queue name", yaml: """
            queue: "bad queue"
            steps: [echo]
            """, path: "queue", message: #"queue name "bad queue" is invalid"#, line: 1),

        // §6 step fields
        InvalidDocument(problem: "empty command", yaml: """
            steps:
              - name: a
                command: "  "
            """, path: "steps[0].command", message: "is empty", line: 3),
        InvalidDocument(problem: "invalid output variable", yaml: """
            steps:
              - name: a
                command: echo
                output: 1abc
            """, path: "steps[0].output", message: #""1abc" is not a valid variable name"#, line: 4),
        InvalidDocument(problem: "stdout and stderr the same file", yaml: """
            steps:
              - name: a
                command: echo
                stdout: /tmp/out.log
                stderr: /tmp/out.log
            """, path: "steps[0].stderr", message: #"stdout and stderr name the same file "/tmp/out.log""#, line: 5),
        InvalidDocument(problem: "unknown signal_on_stop", yaml: """
            steps:
              - name: a
                command: echo
                signal_on_stop: SIGFOO
            """, path: "steps[0].signal_on_stop", message: #"unknown signal "SIGFOO""#, line: 4),
        InvalidDocument(problem: "non-integer step timeout_sec", yaml: """
            steps:
              - name: a
                command: echo
                timeout_sec: 1.5
            """, path: "steps[0].timeout_sec", message: #"must be an integer, found "1.5""#, line: 4),

        // §7 step types
        InvalidDocument(problem: "unknown step type", yaml: """
            steps:
              - name: a
                type: magic
                command: echo
            """, path: "steps[0].type", message: #"unknown step type "magic""#, line: 3),
        InvalidDocument(problem: "jq step type not supported yet", yaml: """
            steps:
              - name: a
                type: jq
                command: .foo
            """, path: "steps[0].type", message: #"step type "jq" is not supported yet"#, line: 3),
        InvalidDocument(problem: "container key not supported yet", yaml: """
            steps:
              - name: a
                command: echo
                container: alpine
            """, path: "steps[0]", message: #""container" is not supported yet"#, line: 4),
        InvalidDocument(problem: "ssh key not supported yet", yaml: """
            steps:
              - name: a
                command: echo
                ssh: {host: example.com}
            """, path: "steps[0]", message: #""ssh" is not supported yet"#, line: 4),
        InvalidDocument(problem: "DAG-level secrets not supported yet", yaml: """
            secrets: []
            steps: [echo]
            """, path: "", message: #""secrets" is not supported yet"#, line: 1),
        InvalidDocument(problem: "llm not supported by Trellis", yaml: """
            steps:
              - name: a
                command: echo
                llm: {model: x}
            """, path: "steps[0]", message: #""llm" is not supported by Trellis"#, line: 4),
        InvalidDocument(problem: "worker_selector not supported by Trellis", yaml: """
            worker_selector: {gpu: "true"}
            steps: [echo]
            """, path: "", message: #""worker_selector" is not supported by Trellis"#, line: 1),
        InvalidDocument(problem: "http step without METHOD URL", yaml: """
            steps:
              - name: a
                type: http
            """, path: "steps[0].command", message: #"an http step needs command: "<METHOD> <URL>""#, line: 2),
        InvalidDocument(problem: "http step with a bad method token", yaml: """
            steps:
              - name: a
                type: http
                command: FOO/BAR http://127.0.0.1/x
            """, path: "steps[0].command", message: #""FOO/BAR" is not an HTTP method"#, line: 4),
        InvalidDocument(problem: "http expected_status out of range", yaml: """
            steps:
              - name: a
                type: http
                command: GET http://127.0.0.1/x
                with:
                  expected_status: [200, 700]
            """, path: "steps[0].with.expected_status", message: "700 is not an HTTP status (100-599)", line: 6),
        InvalidDocument(problem: "parallel without call", yaml: """
            steps:
              - name: a
                command: echo
                parallel: [x, y]
            """, path: "steps[0].parallel", message: "parallel needs call", line: 4),
        InvalidDocument(problem: "script with call", yaml: """
            steps:
              - name: a
                call: child
                script: echo hi
            """, path: "steps[0].script", message: "script cannot be used in a sub-DAG step (call:)", line: 4),
        InvalidDocument(problem: "params without call", yaml: """
            steps:
              - name: a
                command: echo
                params: A=1
            """, path: "steps[0].params", message: "params is only for sub-DAG steps (call:)", line: 4),
        InvalidDocument(problem: "sub-DAG type without call", yaml: """
            steps:
              - name: a
                type: dag
            """, path: "steps[0]", message: "a sub-DAG step needs call", line: 2),

        // §8 step control
        InvalidDocument(problem: "continue_on bad string", yaml: """
            steps:
              - name: a
                command: echo
                continue_on: sometimes
            """, path: "steps[0].continue_on", message: #"must be "skipped", "failed" or a map, found "sometimes""#, line: 4),
        InvalidDocument(problem: "retry_policy without limit", yaml: """
            steps:
              - name: a
                command: echo
                retry_policy:
                  interval_sec: 5
            """, path: "steps[0].retry_policy", message: "limit is required", line: 5),
        InvalidDocument(problem: "retry_policy limit not a number", yaml: """
            steps:
              - name: a
                command: echo
                retry_policy: {limit: three}
            """, path: "steps[0].retry_policy.limit", message: #"must be an integer or a ${VARIABLE} evaluated at run time, found "three""#, line: 4),
        InvalidDocument(problem: "retry_policy backoff not greater than 1", yaml: """
            steps:
              - name: a
                command: echo
                retry_policy:
                  limit: 2
                  backoff: 0.5
            """, path: "steps[0].retry_policy.backoff", message: #"must be true or a number greater than 1, found "0.5""#, line: 6),
        InvalidDocument(problem: "repeat while without condition", yaml: """
            steps:
              - name: a
                command: echo
                repeat_policy:
                  repeat: while
                  limit: 3
            """, path: "steps[0].repeat_policy.repeat", message: "repeat: while needs a condition or exit_code", line: 5),
        InvalidDocument(problem: "repeat with an unknown mode", yaml: """
            steps:
              - name: a
                command: echo
                repeat_policy: {repeat: sometimes}
            """, path: "steps[0].repeat_policy.repeat", message: #"must be true, false, "while" or "until", found "sometimes""#, line: 4),
        InvalidDocument(problem: "precondition without condition", yaml: """
            steps:
              - name: a
                command: echo
                preconditions:
                  - expected: foo
            """, path: "steps[0].preconditions[0]", message: "a precondition needs condition (or command)", line: 5),

        // §9 handlers
        InvalidDocument(problem: "handler with depends", yaml: """
            handler_on:
              exit:
                command: echo bye
                depends: a
            steps:
              - name: a
                command: echo
            """, path: "handler_on.exit", message: "a handler cannot declare depends", line: 4),

        // §15.1 schedule
        InvalidDocument(problem: "cron with 6 fields", yaml: """
            schedule: "0 0 * * * *"
            steps: [echo]
            """, path: "schedule", message: "expected 5 fields (minute hour day-of-month month day-of-week), got 6", line: 1),
        InvalidDocument(problem: "cron descriptor @daily", yaml: """
            schedule:
              - "@daily"
            steps: [echo]
            """, path: "schedule[0]", message: #"cron descriptors like "@daily" are not supported"#, line: 2),
        InvalidDocument(problem: "cron value out of range", yaml: """
            schedule:
              start: "61 * * * *"
            steps: [echo]
            """, path: "schedule.start", message: "minute 61 out of range 0-59", line: 2),
        InvalidDocument(problem: "unknown CRON_TZ zone", yaml: """
            schedule:
              - "0 9 * * *"
              - "CRON_TZ=Mars/Olympus 0 9 * * *"
            steps: [echo]
            """, path: "schedule[1]", message: #"unknown time zone "Mars/Olympus""#, line: 3),
        InvalidDocument(problem: "at under stop", yaml: """
            schedule:
              stop:
                - at: "2026-03-29T02:10:00+01:00"
            steps: [echo]
            """, path: "schedule.stop[0].at", message: "one-off at entries are only allowed under start", line: 3),
        InvalidDocument(problem: "at without offset", yaml: """
            schedule:
              start:
                - at: "2026-03-29T02:10:00"
            steps: [echo]
            """, path: "schedule.start[0].at", message: "is not an RFC 3339 time with offset", line: 3),
        InvalidDocument(problem: "at with seconds other than 00", yaml: """
            schedule:
              start:
                - at: "2026-03-29T02:10:30+01:00"
            steps: [echo]
            """, path: "schedule.start[0].at", message: "seconds must be 00", line: 3),
        InvalidDocument(problem: "unknown schedule map key", yaml: """
            schedule:
              start: "0 0 * * *"
              often: "0 1 * * *"
            steps: [echo]
            """, path: "schedule", message: #"unknown key "often""#, line: 3),
        InvalidDocument(problem: "schedule entry with both expression and at", yaml: """
            schedule:
              start:
                - expression: "0 0 * * *"
                  at: "2026-03-29T02:10:00+01:00"
            steps: [echo]
            """, path: "schedule.start[0]", message: "set either expression or at, not both", line: 3),

        // YAML level (§1.3 rule 7 and syntax)
        InvalidDocument(problem: "second YAML document", yaml: """
            steps: [echo]
            ---
            steps: [echo]
            """, path: "", message: "a second YAML document (---) is not supported yet", line: 3),
        InvalidDocument(problem: "YAML syntax error", yaml: """
            description: x
            steps:
              - name: a
                command: [echo
              - name: b
            """, path: "", message: "invalid YAML: did not find expected ',' or ']'", line: 5),
        InvalidDocument(problem: "YAML syntax error: bad indentation", yaml: """
            steps:
              - name: a
                command: echo
               bad: indent
            """, path: "", message: "invalid YAML:", line: 4),
        InvalidDocument(problem: "duplicate YAML key", yaml: """
            steps:
              - name: a
                command: echo 1
                command: echo 2
            """, path: "", message: #"duplicate key "command" in the same map"#, line: 3),
    ]

    @Test("each invalid document is rejected with the exact error", arguments: cases)
    func rejected(document: InvalidDocument) {
        let result = LoaderTestSupport.load(document.yaml, fileName: document.fileName)
        #expect(!result.isValid)
        let summary = result.diagnostics.map(\.description)
        let matches = result.errors.filter { $0.path == document.path && $0.message.contains(document.message) }
        #expect(matches.count == 1, "no single error at \"\(document.path)\" containing \"\(document.message)\": \(summary)")
        if let error = matches.first {
            #expect(error.line == document.line, "\(summary)")
            #expect(error.file == document.fileName)
            #expect(error.severity == .error)
        }
        #expect(result.errors.count == document.errorCount, "\(summary)")
        #expect(result.errors.allSatisfy { !$0.message.isEmpty })
    }

    @Test("the table is big enough and its problems are distinct")
    func tableSize() {
        #expect(Self.cases.count >= 40)
        #expect(Set(Self.cases.map(\.problem)).count == Self.cases.count)
    }

    @Test("a diagnostic renders as file:line: severity: path: message")
    func rendering() throws {
        let result = LoaderTestSupport.load("steps:\n  - name: a\n    command: echo\n    comand: x\n", fileName: "hello.yaml")
        let error = try #require(result.errors.first)
        #expect(error.description == #"hello.yaml:4: error: steps[0]: unknown key "comand"; did you mean "command"?"#)
        let whole = LoaderTestSupport.load("steps: [echo]\n---\nsteps: [echo]\n", fileName: "two.yaml")
        #expect(whole.errors.first?.description.hasPrefix("two.yaml") == true)
        #expect(whole.dag == nil)
    }

    // MARK: - §1.3 rule 6: keys and types Trellis does not run

    typealias KeyCase = (yaml: String, path: String, message: String, line: Int)

    static func topLevel(_ key: String, _ message: String) -> KeyCase {
        ("description: x\n\(key): {a: 1}\nsteps: [echo]\n", "", message, 2)
    }

    static func stepLevel(_ key: String, _ message: String) -> KeyCase {
        ("steps:\n  - name: a\n    command: echo\n    \(key): {a: 1}\n", "steps[0]", message, 4)
    }

    static func stepType(_ type: String) -> KeyCase {
        ("steps:\n  - name: a\n    type: \(type)\n    command: echo\n", "steps[0].type", "step type \"\(type)\" is not supported yet", 3)
    }

    static var unsupported: [KeyCase] {
        var cases: [KeyCase] = []
        for key in ["secrets", "defaults", "container", "ssh"] {
            cases.append(topLevel(key, "\"\(key)\" is not supported yet"))
        }
        for key in ["exec", "container", "approval", "router", "shell_packages", "ssh", "shellPackages"] {
            cases.append(stepLevel(key, "\"\(key)\" is not supported yet"))
        }
        for key in ["llm", "harness", "worker_selector", "workspace", "workerSelector"] {
            cases.append(topLevel(key, "\"\(key)\" is not supported by Trellis"))
            cases.append(stepLevel(key, "\"\(key)\" is not supported by Trellis"))
        }
        for type in ["jq", "mail", "ssh", "sftp", "docker", "container"] {
            cases.append(stepType(type))
        }
        cases.append(("steps:\n  - name: a\n    executor: docker\n    command: echo\n", "steps[0].type", "step type \"docker\" is not supported yet", 3))
        return cases
    }

    @Test("[later] keys that change what runs, and left-out features, are errors", arguments: unsupported)
    func unsupportedKeys(yaml: String, path: String, message: String, line: Int) {
        let result = LoaderTestSupport.load(yaml)
        #expect(result.errors.count == 1, "\(result.diagnostics.map(\.description))")
        #expect(result.errors.first?.path == path)
        #expect(result.errors.first?.message == message)
        #expect(result.errors.first?.line == line)
        #expect(!result.isValid)
    }

    // MARK: - Problems inside one param definition

    /// A problem of one typed definition (or schema property): it must point at that
    /// definition — its path and a line inside it — and name the param, since the constraint
    /// alone ("default: value 1 is less than minimum 5") does not say which param is meant.
    struct DefinitionProblem: Sendable, CustomTestStringConvertible {
        var problem: String
        var yaml: String
        var pathPrefix: String
        var param: String
        var message: String
        var lines: ClosedRange<Int>
        var testDescription: String { problem }
    }

    static let definitionProblems: [DefinitionProblem] = [
        DefinitionProblem(problem: "default not in enum", yaml: """
            params:
              - name: size
                type: integer
                default: 10
              - name: env
                type: string
                enum: [a, b]
                default: c
            steps: [echo]
            """, pathPrefix: "params[1]", param: "env", message: #"value "c" is not one of [a, b]"#, lines: 5...8),
        DefinitionProblem(problem: "default below minimum", yaml: """
            params:
              - name: env
                default: x
              - name: size
                type: integer
                minimum: 5
                default: 1
            steps: [echo]
            """, pathPrefix: "params[1]", param: "size", message: "value 1 is less than minimum 5", lines: 4...7),
        DefinitionProblem(problem: "pattern is not a regular expression", yaml: """
            params:
              - A=1
              - name: code
                type: string
                pattern: "([a-z"
            steps: [echo]
            """, pathPrefix: "params[1]", param: "code", message: #"pattern "([a-z" is not a valid regular expression"#, lines: 3...5),
        DefinitionProblem(problem: "minimum greater than maximum", yaml: """
            params:
              - name: count
                type: integer
                minimum: 10
                maximum: 1
            steps: [echo]
            """, pathPrefix: "params[0]", param: "count", message: "minimum 10 is greater than maximum 1", lines: 2...5),
        DefinitionProblem(problem: "default of the wrong type", yaml: """
            params:
              - name: flag
                type: boolean
                default: maybe
            steps: [echo]
            """, pathPrefix: "params[0]", param: "flag", message: #""maybe" is not a boolean"#, lines: 2...4),
        DefinitionProblem(problem: "schema property default below minimum", yaml: """
            params:
              type: object
              properties:
                a: {type: string}
                b:
                  type: integer
                  default: 0
                  minimum: 1
            steps: [echo]
            """, pathPrefix: "params.properties.b", param: "b", message: "value 0 is less than minimum 1", lines: 5...8),
    ]

    @Test("a problem inside one param definition points at that definition", arguments: definitionProblems)
    func paramDefinitionProblem(document: DefinitionProblem) throws {
        let result = LoaderTestSupport.load(document.yaml)
        let summary = result.diagnostics.map(\.description)
        #expect(result.errors.count == 1, "\(summary)")
        let error = try #require(result.errors.first { $0.message.contains(document.message) }, "\(summary)")
        #expect(error.path.hasPrefix(document.pathPrefix), "\(summary)")
        #expect(error.line.map(document.lines.contains) == true, "\(summary)")
        #expect(error.message.contains("\"\(document.param)\"") || error.path.hasSuffix(document.param), "\(summary)")
    }

    // MARK: - Known loader bugs (spec-correct expectations)

    @Test("§7.3 an http command without a URL is an error",
          arguments: ["GET", "POST", "  get  "])
    func httpCommandWithoutURL(command: String) {
        let result = LoaderTestSupport.load("steps:\n  - name: a\n    type: http\n    command: \"\(command)\"\n")
        // Today the step is accepted with url == the method token (HTTPSpec(method: "GET", url: "GET")).
        let valid = result.isValid
        #expect(!valid)
        #expect(result.errors.contains { $0.path == "steps[0].command" && $0.line == 4 },
                "\(result.diagnostics.map(\.description)); http = \(String(describing: result.dag?.steps.first?.http))")
    }

    @Test("a step whose command is null has nothing to run",
          arguments: ["    command:\n", "    command: ~\n", "    command: null\n", "    command: ~\n    script: ~\n"])
    func nullCommand(fields: String) {
        let result = LoaderTestSupport.load("steps:\n  - name: a\n" + fields)
        // `script: ~` alone is rejected ("the step has nothing to run"); `command: ~` is not,
        // because checkCommandStep only asks whether the key is present.
        #expect(result.errors.contains { $0.path == "steps[0]" && $0.message.contains("nothing to run") && $0.line == 2 },
                "\(result.diagnostics.map(\.description))")
        #expect(result.dag?.steps.first?.commands == [])
    }

    @Test("a label map value that is not a scalar is reported, not dropped")
    func labelMapWithListValue() {
        let result = LoaderTestSupport.load("labels:\n  team: [a, b]\n  tier: gold\nsteps: [echo]\n")
        // The list form rejects a one-key map with a list value; the map form silently keeps
        // only the key ("team") and loses the value.
        #expect(result.dag?.labels.map(\.description).contains("tier=gold") == true)
        #expect(result.errors.contains { $0.path.hasPrefix("labels") && $0.line == 2 },
                "\(result.diagnostics.map(\.description)); labels = \(result.dag?.labels ?? [])")
        let list = LoaderTestSupport.load("labels:\n  - team: [a, b]\nsteps: [echo]\n")
        #expect(list.errors.map(\.path) == ["labels[0]"])
    }

    // MARK: - Warnings, not errors

    /// §2 "later, warn" keys, at DAG level, and a few in the older camelCase spelling.
    static var laterWarnings: [(yaml: String, path: String, key: String, line: Int)] {
        var cases: [(yaml: String, path: String, key: String, line: Int)] = []
        for key in ["log_dir", "log_output", "hist_retention_runs", "restart_wait_sec", "run_config", "retry_policy",
                    "catchup_window", "overlap_policy", "mail_on", "smtp", "error_mail", "info_mail", "wait_mail",
                    "logDir", "histRetentionRuns", "runConfig", "mailOn", "errorMail"] {
            cases.append(("description: x\n\(key): {a: 1}\nsteps: [echo]\n", "", key, 2))
        }
        cases.append(("steps:\n  - name: a\n    command: echo\n    mail_on_error: true\n", "steps[0]", "mail_on_error", 4))
        cases.append(("steps:\n  - name: a\n    command: echo\n    mailOnError: true\n", "steps[0]", "mailOnError", 4))
        cases.append(("handler_on:\n  exit: {command: echo, mail_on_error: true}\nsteps: [echo]\n", "handler_on.exit", "mail_on_error", 2))
        cases.append(("handler_on:\n  wait: {command: echo}\nsteps: [echo]\n", "handler_on", "wait", 2))
        cases.append(("steps:\n  - type: http\n    command: GET http://h/x\n    with: {debug: true}\n", "steps[0].with", "debug", 4))
        cases.append(("steps:\n  - type: http\n    command: GET http://h/x\n    with:\n      skip_tls_verify: true\n", "steps[0].with", "skip_tls_verify", 5))
        return cases
    }

    @Test("[later] side-feature keys are warnings; the DAG stays valid", arguments: laterWarnings)
    func laterKeysWarn(yaml: String, path: String, key: String, line: Int) {
        let result = LoaderTestSupport.load(yaml)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        #expect(result.isValid)
        #expect(result.warnings.count == 1)
        let warning = result.warnings.first
        #expect(warning?.severity == .warning)
        #expect(warning?.path == path)
        #expect(warning?.message == "\"\(key)\" is not supported yet and is ignored")
        #expect(warning?.line == line)
    }

    @Test("§15.1 a misleading cron step is a warning with the entry's path and line")
    func cronWarning() {
        let result = LoaderTestSupport.load("schedule:\n  start:\n    - \"*/7 * * * *\"\nsteps: [echo]\n")
        #expect(result.isValid)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.path == "schedule.start[0]")
        #expect(result.warnings.first?.line == 3)
        #expect(result.warnings.first?.message.contains("*/7") == true)
    }

    @Test("a literal call target outside the catalog is a warning, not an error")
    func unknownCallTargetWarns() {
        let yaml = "steps:\n  - name: a\n    call: missing-child\n"
        let known = LoaderTestSupport.load(yaml, known: ["other"])
        #expect(known.isValid)
        #expect(known.warnings.map(\.path) == ["steps[0].call"])
        #expect(known.warnings.first?.line == 3)
        #expect(LoaderTestSupport.load(yaml, known: ["missing-child"]).warnings.isEmpty)
        #expect(LoaderTestSupport.load(yaml).warnings.isEmpty)  // catalog unknown: no warning
    }

    // MARK: - All problems at once

    static let manyProblems = """
        params: {my-param: 1}
        env: [FOO]
        dotenv: {a: b}
        timeout_sec: -1
        max_active_runs: 0
        skip_if_successful: maybe
        log_dir: /tmp
        labels: "=x"
        queue: "bad queue"
        schedule: "@daily"
        steps:
          - name: a
            command: "  "
          - name: b
          - name: c
            command: echo
            output: 1abc
          - name: d
            type: dag
          - name: e
            type: http
            command: FOO/BAR http://x
            with:
              expected_status: 700
          - name: f
            command: echo
            continue_on: {failed: true, exit_codes: [1]}
          - name: g
            command: echo
            retry_policy: {limit: three}
          - name: h
            command: echo
            repeat_policy: {repeat: sometimes}
          - name: a
            comand: echo
        nmae: x
        """

    @Test("a document with many problems reports all of them, in line order")
    func allProblemsAtOnce() {
        let result = LoaderTestSupport.load(Self.manyProblems, fileName: "many.yaml")
        let found = result.diagnostics.map { "\($0.line.map(String.init) ?? "-") \($0.severity.rawValue) \($0.path)" }
        #expect(found == [
            "1 error params.my-param",
            "2 error env[0]",
            "3 error dotenv",
            "4 error timeout_sec",
            "5 error max_active_runs",
            "6 error skip_if_successful",
            "7 warning ",
            "8 error labels",
            "9 error queue",
            "10 error schedule",
            "13 error steps[0].command",
            "14 error steps[1]",
            "17 error steps[2].output",
            "18 error steps[3]",
            "22 error steps[4].command",
            "24 error steps[4].with.expected_status",
            "27 error steps[5].continue_on",
            "30 error steps[6].retry_policy.limit",
            "33 error steps[7].repeat_policy.repeat",
            "34 error steps[8]",  // nothing to run
            "34 error steps",  // name "a" used twice
            "35 error steps[8]",  // comand
            "36 error ",  // nmae
        ])
        #expect(result.errors.count == 22)
        #expect(result.warnings.count == 1)
        let lines = result.diagnostics.compactMap(\.line)
        #expect(lines == lines.sorted())
        #expect(result.diagnostics.allSatisfy { $0.file == "many.yaml" && !$0.message.isEmpty })
        #expect(result.dag != nil)  // the model is still built, best effort
    }
}
