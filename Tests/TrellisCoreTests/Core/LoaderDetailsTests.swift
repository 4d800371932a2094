import Foundation
import Testing
@testable import TrellisCore

/// Focused checks of loader details: merge keys, labels, env order, generated names, chains.
@Suite("Loader details")
struct LoaderDetailsTests {
    private func load(_ text: String, file: String = "t.yaml") -> DAGLoadResult {
        DAGLoader.load(text: text, fileName: file)
    }

    @Test("anchors and merge keys: explicit keys win over merged ones")
    func mergeKeys() throws {
        let result = load("""
            x-defaults: &defaults
              retry_policy: {limit: 2}
              timeout_sec: 30
            steps:
              - <<: *defaults
                name: a
                command: echo a
                timeout_sec: 5
            """)
        // x-defaults is an unknown top-level key: reported, but the merge itself works.
        #expect(result.errors.map(\.message) == ["unknown key \"x-defaults\""])
        let step = try #require(result.dag?.steps.first)
        #expect(step.timeoutSec == 5)
        #expect(step.retryPolicy?.limit == .value(2))
    }

    @Test("labels in every form are trimmed, lower-cased and de-duplicated",
          arguments: [
              ("labels: \"Team, ETL ,daily\"", ["team", "etl", "daily"]),
              ("labels: \"env=Prod tier=1\"", ["env=prod", "tier=1"]),
              ("labels: {env: prod, owner: Data}", ["env=prod", "owner=data"]),
              ("labels: [a, {env: prod}, \"k=v\", a]", ["a", "env=prod", "k=v"]),
              ("tags: nightly", ["nightly"]),
              ("labels: \"a=1, b\"", ["a=1", "b"]),
          ])
    func labels(yaml: String, expected: [String]) throws {
        let result = load(yaml + "\nsteps: [echo]\n")
        #expect(result.errors.isEmpty)
        #expect(result.dag?.labels.map(\.description) == expected)
    }

    @Test("env keeps file order in all three forms")
    func envOrder() {
        let forms = [
            "env:\n  B: 1\n  A: \"${B}2\"\n",
            "env:\n  - B: 1\n  - A: \"${B}2\"\n",
            "env:\n  - B=1\n  - A=${B}2\n",
        ]
        for form in forms {
            let result = load(form + "steps: [echo]\n")
            #expect(result.errors.isEmpty, "\(form)")
            #expect(result.dag?.env == [EnvEntry(name: "B", value: "1"), EnvEntry(name: "A", value: "${B}2")], "\(form)")
        }
    }

    @Test("generated step names use the kind and position and are bumped on collision")
    func generatedNames() {
        let result = load("""
            steps:
              - echo one
              - name: cmd_3
                command: echo named
              - command: echo three
              - script: |
                  echo four
              - call: child
              - command: GET http://127.0.0.1:9/x
                type: http
            """)
        #expect(result.errors.isEmpty)
        #expect(result.dag?.steps.map(\.name) == ["cmd_1", "cmd_3", "cmd_4", "script_4", "dag_5", "http_6"])
    }

    @Test("a chain with a parallel group: the group waits for the previous item, the next item for the whole group")
    func parallelGroup() {
        let result = load("""
            steps:
              - name: a
                command: echo a
              - - name: b
                  command: echo b
                - name: c
                  command: echo c
              - name: d
                command: echo d
            """)
        #expect(result.errors.isEmpty)
        #expect(result.dag?.type == .chain)
        #expect(result.dag?.steps.map(\.depends) == [[], ["a"], ["a"], ["b", "c"]])
    }

    @Test("depends resolves ids to names; a depends key, even empty, makes a graph")
    func dependsByID() {
        let result = load("""
            steps:
              - name: extract data
                id: extract
                command: echo x
                depends: []
              - name: load
                depends: extract
                command: echo y
              - name: independent
                command: echo z
            """)
        #expect(result.errors.isEmpty)
        #expect(result.dag?.type == .graph)
        #expect(result.dag?.steps.map(\.depends) == [[], ["extract data"], []])
    }

    @Test("a command list with an unquoted colon element keeps it as text")
    func commandList() {
        let result = load("steps:\n  - command:\n      - echo a\n      - echo key: value\n")
        #expect(result.errors.isEmpty)
        #expect(result.dag?.steps.first?.commands == ["echo a", "echo key: value"])
    }

    @Test("a multi-line command is a script")
    func multiLineCommand() {
        let result = load("steps:\n  - command: |\n      echo a\n      echo b\n")
        #expect(result.errors.isEmpty)
        #expect(result.dag?.steps.first?.script == "echo a\necho b\n")
        #expect(result.dag?.steps.first?.commands == [])
    }

    @Test("defaults of top-level fields match the spec")
    func defaults() throws {
        let dag = try #require(load("steps: [echo]").dag)
        #expect(dag.maxActiveRuns == 1)
        #expect(dag.maxCleanUpTimeSec == 5)
        #expect(dag.maxOutputSize == 1_048_576)
        #expect(dag.histRetentionDays == 30)
        #expect(dag.name == "t")
        #expect(load("hist_retention_days: 0\nsteps: [echo]").dag?.histRetentionDays == 30)
    }

    @Test("one-off times need an offset and zero seconds")
    func oneOff() throws {
        let date = try OneOffTime.parse("2026-03-29T02:10:00+01:00").get()
        #expect(date == Date(timeIntervalSince1970: 1_774_746_600))
        #expect((try? OneOffTime.parse("2026-03-29T01:10:00Z").get()) == date)
        for bad in ["2026-03-29T02:10:00", "2026-03-29T02:10:30Z", "2026-02-30T02:10:00Z", "tomorrow", "2026-03-29 02:10:00Z"] {
            #expect(throws: OneOffTime.Problem.self, "\(bad)") { try OneOffTime.parse(bad).get() }
        }
    }

    @Test("shell words split like a shell for simple cases",
          arguments: [
              ("bash -e", ["bash", "-e"]),
              ("  /bin/sh   -c  ", ["/bin/sh", "-c"]),
              ("bash -o 'pipefail x' \"a b\"", ["bash", "-o", "pipefail x", "a b"]),
              ("a\\ b c", ["a b", "c"]),
              ("", []),
          ])
    func shellWords(text: String, expected: [String]) {
        #expect(ShellWords.split(text) == expected)
    }

    @Test("cycles are listed once each, starting at their first step in file order")
    func cycles() {
        var a = Step(name: "a"); a.depends = ["c"]
        var b = Step(name: "b"); b.depends = ["a"]
        var c = Step(name: "c"); c.depends = ["b"]
        var d = Step(name: "d"); d.depends = ["d"]
        let e = Step(name: "e")
        #expect(StepGraph(steps: [a, b, c, d, e]).cycles() == [["a", "c", "b", "a"], ["d", "d"]])
        #expect(StepGraph(steps: [e]).cycles().isEmpty)
    }

    @Test("a long chain loads without deep recursion")
    func longChain() {
        var text = "type: graph\nsteps:\n"
        for index in 0..<3000 {
            text += "  - name: s\(index)\n    command: \"true\"\n"
            if index > 0 { text += "    depends: s\(index - 1)\n" }
        }
        let result = load(text)
        #expect(result.errors.isEmpty)
        #expect(result.dag?.steps.count == 3000)
    }
}
