import Foundation
import Testing
@testable import TrellisCore

/// DAG-FORMAT §1.3: the camelCase dialect (Dagu 1.x) normalizes to the same model as the
/// canonical snake_case dialect.
@Suite("Loader: key dialects")
struct DialectTests {
    static let folder = "dialects"
    static let pairs: [String] = LoaderTestSupport.fixtureNames(in: folder, suffix: ".snake.yaml")
        .map { String($0.dropLast(".snake.yaml".count)) }

    private func load(_ text: String, file: String = "dialect.yaml") -> DAGLoadResult {
        LoaderTestSupport.load(text, fileName: file)
    }

    private func expectSameModel(_ older: String, _ canonical: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let old = load(older), new = load(canonical)
        #expect(old.errors.isEmpty, "older form: \(old.errors.map(\.description))", sourceLocation: sourceLocation)
        #expect(new.errors.isEmpty, "canonical form: \(new.errors.map(\.description))", sourceLocation: sourceLocation)
        guard let oldDAG = old.dag, let newDAG = new.dag else {
            Issue.record("no DAG", sourceLocation: sourceLocation)
            return
        }
        let lhs = LoaderTestSupport.normalized(oldDAG), rhs = LoaderTestSupport.normalized(newDAG)
        #expect(LoaderTestSupport.differences(lhs, rhs) == [], sourceLocation: sourceLocation)
    }

    // MARK: - Fixture pairs

    @Test("the fixture folder holds the six dialect pairs")
    func pairsArePresent() {
        #expect(Self.pairs == ["basics", "handlers", "http", "params", "step-control", "sub-dag"])
        #expect(LoaderTestSupport.fixtureNames(in: Self.folder, suffix: ".camel.yaml").count == Self.pairs.count)
    }

    @Test("NAME.snake.yaml and NAME.camel.yaml load to the same DAG", arguments: pairs)
    func fixturePair(pair: String) throws {
        let snake = try LoaderTestSupport.loadFixture(Self.folder, "\(pair).snake.yaml")
        let camel = try LoaderTestSupport.loadFixture(Self.folder, "\(pair).camel.yaml")
        #expect(snake.errors.isEmpty, "\(snake.errors.map(\.description))")
        #expect(camel.errors.isEmpty, "\(camel.errors.map(\.description))")
        // No camelCase key is "unknown" or "not supported": the older dialect is fully accepted.
        #expect(camel.warnings.map(\.message) == snake.warnings.map(\.message))
        let snakeDAG = try #require(snake.dag), camelDAG = try #require(camel.dag)
        #expect(snakeDAG.name == "\(pair).snake" && camelDAG.name == "\(pair).camel")
        // `Step.with` (the raw with: block) is compared on its own in `withBlockKeysAreNormalized`.
        let lhs = Self.withoutWithBlocks(LoaderTestSupport.normalized(snakeDAG))
        let rhs = Self.withoutWithBlocks(LoaderTestSupport.normalized(camelDAG))
        #expect(LoaderTestSupport.differences(lhs, rhs) == [])
    }

    private static func withoutWithBlocks(_ dag: DAG) -> DAG {
        var copy = dag
        for index in copy.steps.indices { copy.steps[index].with = nil }
        return copy
    }

    /// §1.3 rule 1 names step-type `with:` blocks among the schema objects whose keys are
    /// normalized, and the dialect fixtures require the same model from both files; the loader
    /// keeps `Step.with` exactly as written (`expectedStatus`), so the http pair differs there.
    @Test("§1.3 rule 1: keys of a with: block are normalized in the model (http pair)")
    func withBlockKeysAreNormalized() throws {
        let snake = try #require(try LoaderTestSupport.loadFixture(Self.folder, "http.snake.yaml").dag)
        let camel = try #require(try LoaderTestSupport.loadFixture(Self.folder, "http.camel.yaml").dag)
        // What the with: block configures is already the same...
        #expect(snake.steps.map(\.http) == camel.steps.map(\.http))
        // ...but the echoed block keeps the camelCase key.
        #expect(snake.steps.map(\.with) == camel.steps.map(\.with))
    }

    @Test("the normalizing helper only blanks stem names and lines")
    func normalizerKeepsEverythingElse() throws {
        let named = try #require(load("name: explicit\nsteps: [echo]\n", file: "stem.yaml").dag)
        #expect(LoaderTestSupport.normalized(named).name == "explicit")
        let stem = try #require(load("steps: [echo]\n", file: "stem.yaml").dag)
        #expect(LoaderTestSupport.normalized(stem).name.isEmpty)
        #expect(LoaderTestSupport.normalized(stem).steps.map(\.line) == [nil])
        #expect(LoaderTestSupport.normalized(stem).steps.map(\.commands) == [["echo"]])
    }

    // MARK: - Rule 2: camelCase → snake_case

    @Test("generic camelCase → snake_case rule keeps acronyms together",
          arguments: [
              ("timeoutSec", "timeout_sec"),
              ("maxCleanUpTimeSec", "max_clean_up_time_sec"),
              ("skipTLSVerify", "skip_tls_verify"),
              ("histRetentionDays", "hist_retention_days"),
              ("handlerOn", "handler_on"),
              ("signalOnStop", "signal_on_stop"),
              ("exitCode", "exit_code"),
              ("markSuccess", "mark_success"),
              ("maxActiveRuns", "max_active_runs"),
              ("HTTPTimeout", "http_timeout"),
              ("retry_policy", "retry_policy"),
              ("name", "name"),
              ("max2Runs", "max2_runs"),
          ])
    func snakeCase(key: String, expected: String) {
        #expect(KeyStyle.snakeCase(key) == expected)
    }

    @Test("camelCase keys load the same as snake_case keys",
          arguments: [
              ("timeoutSec: 30", "timeout_sec: 30"),
              ("maxCleanUpTimeSec: 9", "max_clean_up_time_sec: 9"),
              ("maxActiveSteps: 3", "max_active_steps: 3"),
              ("maxActiveRuns: 2", "max_active_runs: 2"),
              ("maxOutputSize: 100", "max_output_size: 100"),
              ("histRetentionDays: 7", "hist_retention_days: 7"),
              ("skipIfSuccessful: true", "skip_if_successful: true"),
              ("delaySec: 2", "delay_sec: 2"),
          ])
    func genericTopLevelKeys(older: String, canonical: String) {
        expectSameModel("\(older)\nsteps: [echo]\n", "\(canonical)\nsteps: [echo]\n")
    }

    @Test("skipTLSVerify in an http with: block is recognised as skip_tls_verify ([later], warned)")
    func skipTLSVerify() {
        let result = load("""
            steps:
              - type: http
                command: GET http://127.0.0.1/x
                with:
                  skipTLSVerify: true
            """)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.path == "steps[0].with")
        #expect(result.warnings.first?.message.contains("skipTLSVerify") == true)
        #expect(result.warnings.first?.line == 5)
    }

    // MARK: - Rule 3: semantic renames

    static let renames: [(rule: String, older: String, canonical: String)] = [
        ("DAG dir → working_dir",
         "dir: /srv\nsteps: [echo]\n",
         "working_dir: /srv\nsteps: [echo]\n"),
        ("DAG workingDir → working_dir",
         "workingDir: /srv\nsteps: [echo]\n",
         "working_dir: /srv\nsteps: [echo]\n"),
        ("step dir → working_dir",
         "steps:\n  - name: a\n    dir: /srv\n    command: pwd\n",
         "steps:\n  - name: a\n    working_dir: /srv\n    command: pwd\n"),
        ("step workingDir → working_dir",
         "steps:\n  - name: a\n    workingDir: /srv\n    command: pwd\n",
         "steps:\n  - name: a\n    working_dir: /srv\n    command: pwd\n"),
        ("DAG precondition → preconditions",
         "precondition: test -d /tmp\nsteps: [echo]\n",
         "preconditions: test -d /tmp\nsteps: [echo]\n"),
        ("step precondition → preconditions",
         "steps:\n  - name: a\n    precondition:\n      - condition: x\n        expected: y\n    command: echo\n",
         "steps:\n  - name: a\n    preconditions:\n      - condition: x\n        expected: y\n    command: echo\n"),
        ("step run → call",
         "steps:\n  - name: a\n    run: child\n    params: A=1\n",
         "steps:\n  - name: a\n    call: child\n    params: A=1\n"),
        ("tags → labels",
         "tags: a, b=c\nsteps: [echo]\n",
         "labels: a, b=c\nsteps: [echo]\n"),
        ("delay → delay_sec",
         "delay: 4\nsteps: [echo]\n",
         "delay_sec: 4\nsteps: [echo]\n"),
        ("step config → with",
         "steps:\n  - name: a\n    type: http\n    command: GET http://h/x\n    config:\n      timeout: 3\n",
         "steps:\n  - name: a\n    type: http\n    command: GET http://h/x\n    with:\n      timeout: 3\n"),
        ("executor: <type> → type",
         "steps:\n  - name: a\n    executor: http\n    command: POST http://h/x\n",
         "steps:\n  - name: a\n    type: http\n    command: POST http://h/x\n"),
        ("executor: shell → type: shell",
         "steps:\n  - name: a\n    executor: shell\n    command: echo\n",
         "steps:\n  - name: a\n    type: shell\n    command: echo\n"),
        ("executor: {type, config} → type + with",
         "steps:\n  - name: a\n    executor:\n      type: http\n      config:\n        silent: true\n    command: GET http://h/x\n",
         "steps:\n  - name: a\n    type: http\n    with:\n      silent: true\n    command: GET http://h/x\n"),
        ("handlerOn.cancel → handler_on.abort",
         "handlerOn:\n  cancel:\n    command: echo bye\nsteps: [echo]\n",
         "handler_on:\n  abort:\n    command: echo bye\nsteps: [echo]\n"),
        ("handler_on.cancel (snake parent) → abort",
         "handler_on:\n  cancel:\n    command: echo bye\nsteps: [echo]\n",
         "handler_on:\n  abort:\n    command: echo bye\nsteps: [echo]\n"),
        ("continueOn.failure → continue_on.failed",
         "steps:\n  - name: a\n    command: echo\n    continueOn:\n      failure: true\n",
         "steps:\n  - name: a\n    command: echo\n    continue_on:\n      failed: true\n"),
        ("continue_on: failure (string) → failed",
         "steps:\n  - name: a\n    command: echo\n    continue_on: failure\n",
         "steps:\n  - name: a\n    command: echo\n    continue_on: failed\n"),
        ("parallel.maxConcurrent → parallel.max_concurrent",
         "steps:\n  - name: a\n    call: child\n    parallel:\n      items: [x, y]\n      maxConcurrent: 3\n",
         "steps:\n  - name: a\n    call: child\n    parallel:\n      items: [x, y]\n      max_concurrent: 3\n"),
        ("typed param minLength/maxLength → min_length/max_length",
         "params:\n  - name: p\n    type: string\n    minLength: 2\n    maxLength: 5\n    default: abc\nsteps: [echo]\n",
         "params:\n  - name: p\n    type: string\n    min_length: 2\n    max_length: 5\n    default: abc\nsteps: [echo]\n"),
        ("schema property minLength/maxLength → min_length/max_length",
         "params:\n  type: object\n  properties:\n    p: {type: string, minLength: 2, maxLength: 5}\nsteps: [echo]\n",
         "params:\n  type: object\n  properties:\n    p: {type: string, min_length: 2, max_length: 5}\nsteps: [echo]\n"),
    ]

    @Test("every semantic rename of §1.3 rule 3 gives the canonical model", arguments: renames.indices)
    func semanticRename(index: Int) {
        let (_, older, canonical) = Self.renames[index]
        expectSameModel(older, canonical)
    }

    @Test("renames land in the right model fields")
    func renamedFieldsAreSet() throws {
        let dag = try #require(load("""
            tags: Nightly
            dir: /srv
            delay: 2
            precondition: test -d /srv
            handlerOn:
              cancel: {command: echo cancelled}
            steps:
              - name: a
                executor: {type: http, config: {timeout: 7, expectedStatus: 204}}
                command: DELETE http://h/x
                continueOn: {failure: true, exitCode: 3}
              - name: b
                run: child
                parallel: {items: "${LIST}", maxConcurrent: 4}
            """).dag)
        #expect(dag.labels == [Label(key: "nightly")])
        #expect(dag.workingDir == "/srv" && dag.delaySec == 2)
        #expect(dag.preconditions == [Condition(condition: "test -d /srv")])
        #expect(dag.handlerOn.abort?.commands == ["echo cancelled"])
        let a = try LoaderTestSupport.step(dag, "a")
        #expect(a.kind == .http && a.http?.method == "DELETE" && a.http?.timeoutSec == 7 && a.http?.expectedStatus == [204])
        #expect(a.continueOn.failed && a.continueOn.exitCodes == [3])
        let b = try LoaderTestSupport.step(dag, "b")
        #expect(b.kind == .parallel && b.call == "child")
        #expect(b.parallel == ParallelSpec(items: .reference("${LIST}"), maxConcurrent: 4))
    }

    @Test("user map keys keep their camelCase spelling")
    func userMapsUntouched() throws {
        let dag = try #require(load("""
            env: {apiBase: x, retryPolicy: y}
            labels: {costCenter: a}
            params: {maxRows: 1, timeoutSec: 2}
            steps:
              - name: a
                env: [logLevel: debug]
                type: http
                command: GET http://h/x
                with:
                  headers: {X-Retry-Policy: "1", timeoutSec: "2"}
                  query: {pageSize: "1"}
            """).dag)
        #expect(dag.env.map(\.name) == ["apiBase", "retryPolicy"])
        #expect(dag.labels.map(\.key) == ["costcenter"])  // labels are lower-cased, not snake_cased
        #expect(dag.params.map(\.name) == ["maxRows", "timeoutSec"])
        let step = try LoaderTestSupport.step(dag, "a")
        #expect(step.env.map(\.name) == ["logLevel"])
        #expect(step.http?.headers.map(\.name) == ["X-Retry-Policy", "timeoutSec"])
        #expect(step.http?.query.map(\.name) == ["pageSize"])
    }

    // MARK: - Rule 4: both spellings in one object

    struct BothSpellings: Sendable, CustomTestStringConvertible {
        var yaml: String
        var path: String
        var first: String
        var second: String
        var canonical: String
        var line: Int
        var testDescription: String { "\(first) + \(second)" }
    }

    static let bothSpellings: [BothSpellings] = [
        BothSpellings(yaml: "timeoutSec: 1\ntimeout_sec: 2\nsteps: [echo]\n",
                      path: "", first: "timeoutSec", second: "timeout_sec", canonical: "timeout_sec", line: 2),
        BothSpellings(yaml: "tags: a\nlabels: b\nsteps: [echo]\n",
                      path: "", first: "tags", second: "labels", canonical: "labels", line: 2),
        BothSpellings(yaml: "delay: 1\ndelaySec: 2\nsteps: [echo]\n",
                      path: "", first: "delay", second: "delaySec", canonical: "delay_sec", line: 2),
        BothSpellings(yaml: "handlerOn: {}\nhandler_on: {}\nsteps: [echo]\n",
                      path: "", first: "handlerOn", second: "handler_on", canonical: "handler_on", line: 2),
        BothSpellings(yaml: "steps:\n  - name: a\n    command: echo\n    retryPolicy: {limit: 1}\n    retry_policy: {limit: 2}\n",
                      path: "steps[0]", first: "retryPolicy", second: "retry_policy", canonical: "retry_policy", line: 5),
        BothSpellings(yaml: "steps:\n  - name: a\n    dir: /a\n    workingDir: /b\n    command: echo\n",
                      path: "steps[0]", first: "dir", second: "workingDir", canonical: "working_dir", line: 4),
        BothSpellings(yaml: "steps:\n  - name: a\n    run: x\n    call: x\n",
                      path: "steps[0]", first: "run", second: "call", canonical: "call", line: 4),
        BothSpellings(yaml: "steps:\n  - name: a\n    precondition: x\n    preconditions: y\n    command: echo\n",
                      path: "steps[0]", first: "precondition", second: "preconditions", canonical: "preconditions", line: 4),
        BothSpellings(yaml: "steps:\n  - name: a\n    executor: http\n    type: http\n    command: GET http://h/x\n",
                      path: "steps[0]", first: "executor", second: "type", canonical: "type", line: 4),
        BothSpellings(yaml: "steps:\n  - name: a\n    type: http\n    config: {}\n    with: {}\n    command: GET http://h/x\n",
                      path: "steps[0]", first: "config", second: "with", canonical: "with", line: 5),
        BothSpellings(yaml: "handler_on:\n  cancel: {command: echo}\n  abort: {command: echo}\nsteps: [echo]\n",
                      path: "handler_on", first: "cancel", second: "abort", canonical: "abort", line: 3),
        BothSpellings(yaml: "steps:\n  - name: a\n    command: echo\n    continue_on:\n      failure: true\n      failed: true\n",
                      path: "steps[0].continue_on", first: "failure", second: "failed", canonical: "failed", line: 6),
        BothSpellings(yaml: "steps:\n  - name: a\n    call: c\n    parallel:\n      items: [x]\n      maxConcurrent: 1\n      max_concurrent: 2\n",
                      path: "steps[0].parallel", first: "maxConcurrent", second: "max_concurrent", canonical: "max_concurrent", line: 7),
        BothSpellings(yaml: "params:\n  - name: p\n    minLength: 1\n    min_length: 2\nsteps: [echo]\n",
                      path: "params[0]", first: "minLength", second: "min_length", canonical: "min_length", line: 4),
        BothSpellings(yaml: "steps:\n  - name: a\n    command: echo\n    retry_policy:\n      limit: 1\n      intervalSec: 1\n      interval_sec: 2\n",
                      path: "steps[0].retry_policy", first: "intervalSec", second: "interval_sec", canonical: "interval_sec", line: 7),
    ]

    @Test("both spellings of one field in one object are an error", arguments: bothSpellings)
    func bothSpellingsAreAnError(entry: BothSpellings) {
        let result = load(entry.yaml)
        let message = "both \"\(entry.first)\" and \"\(entry.second)\" are set; they are the same field \"\(entry.canonical)\", keep one"
        let matches = result.errors.filter { $0.message == message }
        #expect(matches.count == 1, "\(result.diagnostics.map(\.description))")
        #expect(matches.first?.path == entry.path)
        #expect(matches.first?.line == entry.line)
        #expect(!result.isValid)
    }

    @Test("the same canonical spelling in two different objects is fine")
    func sameKeyInDifferentObjects() {
        let result = load("""
            timeoutSec: 10
            steps:
              - name: a
                timeout_sec: 5
                command: echo
              - name: b
                timeoutSec: 6
                command: echo
            """)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        #expect(result.dag?.timeoutSec == 10)
        #expect(result.dag?.steps.map(\.timeoutSec) == [5, 6])
    }
}
