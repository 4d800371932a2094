import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §6.4 output capture: trimming, the size cap, outputs.json and visibility (§5.2).
@Suite("Run engine: output capture (§6.4)")
struct EngineOutputTests {
    @Test("the captured output is trimmed; the node records its name and value")
    func trimmed() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("trim", """
            steps:
              - {name: a, command: "printf '\\\\n  padded value \\\\n\\\\n'", output: $VALUE}
              - {name: b, command: 'echo "[${VALUE}]"'}
            """)
        let (status, run, output) = try home.start("trim")
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "a") == "\n  padded value \n\n")
        #expect(run.node(named: "a")?.outputName == "VALUE")
        #expect(run.node(named: "a")?.outputValue == "padded value")
        #expect(home.stepLog(run, "b") == "[padded value]\n")
    }

    @Test("output larger than max_output_size fails the step; dependents are aborted")
    func tooBig() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("capped", """
            max_output_size: 16
            steps:
              - {name: fits, depends: [], command: "printf 0123456789abcdef", output: FITS}
              - {name: big, depends: [], command: "printf 0123456789abcdefg", output: BIG}
              - {name: after, depends: big, command: "echo after"}
            """)
        let (status, run, _) = try home.start("capped")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.nodeStatuses == ["fits": "succeeded", "big": "failed", "after": "aborted"])
        #expect(run.node(named: "fits")?.outputValue == "0123456789abcdef")
        let error = try #require(run.node(named: "big")?.error)
        #expect(error.hasPrefix("output exceeds max_output_size"), "\(error)")
        #expect(run.node(named: "big")?.outputValue == nil)
        #expect(run.node(named: "big")?.exitCode != 0)
    }

    @Test("on retries the captured output is the last execution's")
    func retryReplacesCapture() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("recapture", """
            steps:
              - name: flaky
                command: 'echo x >> "$DAG_RUN_WORK_DIR/n"; n=$(wc -l < "$DAG_RUN_WORK_DIR/n"); echo "attempt-$n"; [ "$n" -ge 2 ]'
                output: ATTEMPT
                retry_policy: {limit: 3, interval_sec: 0}
              - {name: use, command: 'echo "${ATTEMPT}"'}
            """)
        let (status, run, _) = try home.start("recapture")
        #expect(status == 0)
        #expect(run.node(named: "flaky")?.outputValue == "attempt-2")
        #expect(home.stepLog(run, "use") == "attempt-2\n")
    }

    @Test("a step's env can use an upstream output, and overrides it (§5.2)")
    func stepEnvFromOutput() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("derived", """
            steps:
              - {name: a, command: "echo base", output: BASE}
              - name: b
                env:
                  - DERIVED: "${BASE}-derived"
                  - BASE: overridden
                command: 'printenv DERIVED BASE'
            """)
        let (status, run, _) = try home.start("derived")
        #expect(status == 0)
        #expect(home.stepLog(run, "b") == "base-derived\noverridden\n")
    }

    @Test("outputs.json holds every output with camelCase keys; the last writer wins")
    func outputsFile() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("outs", """
            steps:
              - {name: a, command: "echo https://example.com/r/1", output: RESULT_URL}
              - {name: b, command: "echo first", output: MY_LONG_NAME}
              - {name: c, command: "echo second", output: MY_LONG_NAME}
              - {name: d, command: "echo plain", output: count}
            """)
        let (status, run, _) = try home.start("outs")
        #expect(status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: home.runDirectory(run) + "/outputs.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(object == ["resultUrl": "https://example.com/r/1", "myLongName": "second", "count": "plain"])
    }

    @Test("an output is visible to transitive descendants only; a sibling gets the reference left to the shell")
    func visibility() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        // max_active_steps: 1 and file order make the sibling run after `source` finished.
        try home.dag("scope", """
            max_active_steps: 1
            steps:
              - {name: source, command: "echo secret-value", output: SHARED}
              - {name: sibling, depends: [], command: 'echo "sibling=[${SHARED}] env=[$(printenv SHARED)]"'}
              - {name: child, depends: source, command: 'echo "child=[${SHARED}] env=[$(printenv SHARED)]"'}
              - {name: grandchild, depends: child, command: 'echo "grandchild=[${SHARED}]"'}
            """)
        let (status, run, _) = try home.start("scope")
        #expect(status == 0)
        #expect(home.stepLog(run, "sibling") == "sibling=[] env=[]\n")
        #expect(home.stepLog(run, "child") == "child=[secret-value] env=[secret-value]\n")
        #expect(home.stepLog(run, "grandchild") == "grandchild=[secret-value]\n")
        let sibling = try #require(run.node(named: "sibling")?.startedAt)
        let sourceEnd = try #require(run.node(named: "source")?.finishedAt)
        #expect(sibling >= sourceEnd, "the sibling ran after the output was set")
    }

    @Test("a sibling's ${VAR} reaches the shell literally (set -u reports it unbound)")
    func siblingLiteral() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("literal", """
            max_active_steps: 1
            steps:
              - {name: source, command: "echo value", output: SHARED}
              - {name: sibling, depends: [], command: 'set -u; echo "${SHARED}"'}
              - {name: child, depends: source, command: 'set -u; echo "${SHARED}"'}
            """)
        let (status, run, _) = try home.start("literal")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["source": "succeeded", "sibling": "failed", "child": "succeeded"])
        let stderr = try String(contentsOfFile: try #require(run.node(named: "sibling")?.stderr), encoding: .utf8)
        #expect(stderr.contains("SHARED"), "\(stderr)")
        #expect(home.stepLog(run, "child") == "value\n")
    }
}
