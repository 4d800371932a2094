import Foundation
import Testing
@testable import TrellisCore

/// Every example of DAG-FORMAT.md (Fixtures/spec-examples) loads cleanly, and the model says
/// what the example means.
@Suite("Loader: spec examples")
struct SpecExamplesTests {
    static let folder = "spec-examples"
    static let files = LoaderTestSupport.fixtureNames(in: folder)

    /// The catalog the examples form together (the sub-DAG examples call `50-sub-dag-child`).
    static var catalog: Set<String> {
        Set(files.map { DAGLoader.stem(of: $0) }).union(["spec-named-dag"])
    }

    private func dag(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> DAG {
        try LoaderTestSupport.validDAG(Self.folder, name, sourceLocation: sourceLocation)
    }

    private func step(_ dag: DAG, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Step {
        try LoaderTestSupport.step(dag, name, sourceLocation: sourceLocation)
    }

    @Test("the fixture folder is found and holds all 80 examples")
    func folderIsComplete() {
        #expect(LoaderTestSupport.fixturesURL != nil)
        #expect(Self.files.count == 80, "found \(Self.files)")
        #expect(Self.files.first == "01-dag-name-and-group.yaml")
        #expect(Self.files.last == "80-schedule-dst.yaml")
    }

    @Test("loads with no error and, with the folder as catalog, no unexpected warning", arguments: files)
    func loadsCleanly(file: String) throws {
        let text = try LoaderTestSupport.fixtureText(Self.folder, file)
        let result = LoaderTestSupport.load(text, fileName: file, known: Self.catalog)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        #expect(result.isValid)
        let dag = try #require(result.dag)
        #expect(dag.fileName == DAGLoader.stem(of: file))
        #expect(dag.name == (file.hasPrefix("01-") ? "spec-named-dag" : DAGLoader.stem(of: file)))
        #expect(!dag.steps.isEmpty)
        if !text.contains("# expect-warning:") {
            #expect(result.warnings.isEmpty, "\(result.warnings.map(\.description))")
        }
        // Bytes and text give the same verdict.
        let fromBytes = DAGLoader.load(bytes: Array(text.utf8), fileName: file, options: DAGLoadOptions(knownDAGNames: Self.catalog))
        #expect(fromBytes == result)
    }

    // MARK: - Spot checks of the model

    @Test("§7.3 http step: method, URL, headers, query, body, timeout, silent, expected_status")
    func httpStep() throws {
        let notify = try step(try dag("57-http-step.yaml"), "notify")
        #expect(notify.kind == .http)
        #expect(notify.typeName == "http")
        let http = try #require(notify.http)
        #expect(http.method == "POST")
        #expect(http.url == "https://hooks.example.com/build")
        #expect(http.headers == [
            EnvEntry(name: "Content-Type", value: "application/json"),
            EnvEntry(name: "Authorization", value: "Bearer ${TOKEN}"),
        ])
        #expect(http.query == [EnvEntry(name: "source", value: "trellis")])
        #expect(http.body == #"{"dag": "${DAG_NAME}", "run": "${DAG_RUN_ID}"}"#)
        #expect(http.timeoutSec == 10)
        #expect(http.silent)
        #expect(!http.json)
        #expect(http.expectedStatus == [200, 202])

        let health = try step(try dag("58-http-json-output.yaml"), "health")
        #expect(health.http?.method == "GET")
        #expect(health.http?.url == "http://127.0.0.1:8080/api/v1/health")
        #expect(health.http?.json == true)
        #expect(health.http?.expectedStatus == [200])
        #expect(health.http?.timeoutSec == 5)
        #expect(health.output == "HEALTH")
        #expect(health.retryPolicy?.limit == .value(2))
        #expect(health.continueOn.failed)
    }

    @Test("§4.2 typed params: enum, default, minimum, description, eval")
    func typedParams() throws {
        let params = try dag("32-params-typed-definitions.yaml").params
        try #require(params.count == 3)
        #expect(params[0] == ParamDefinition(name: "environment", type: .string, defaultValue: .string("staging"),
                                             enumValues: [.string("staging"), .string("production")], isTyped: true))
        #expect(params[1] == ParamDefinition(name: "batch_size", type: .integer, defaultValue: .integer(25),
                                             description: "Rows per batch", minimum: 1, isTyped: true))
        #expect(params[2] == ParamDefinition(name: "day", eval: "`date +%F`", isTyped: true))

        let all = try dag("33-params-typed-all-fields.yaml").params
        #expect(all.map(\.name) == ["MODE", "ticket", "ratio", "notify", "retries"])
        #expect(all[0] == .plain(name: "MODE", value: "full"))
        #expect(all[1].required && all[1].pattern == "^[A-Z]+-[0-9]+$" && all[1].minLength == 3 && all[1].maxLength == 20)
        #expect(all[2].minimum == 0 && all[2].maximum == 1 && all[2].defaultValue == .number(0.5))
        #expect(all[3].type == .boolean && all[3].defaultValue == .bool(false))
        #expect(all[4].enumValues == [.integer(0), .integer(1), .integer(3)])

        let schema = try dag("34-params-inline-json-schema.yaml").params
        #expect(schema.map(\.name) == ["region", "batchSize", "label"])
        #expect(schema.map(\.required) == [true, false, false])
        #expect(schema[1].minimum == 1 && schema[1].maximum == 500 && schema[1].defaultValue == .integer(100))
        #expect(schema[2].minLength == 1 && schema[2].maxLength == 30)
    }

    @Test("§4.1 plain params keep file order and render scalars as strings",
          arguments: [
              ("26-params-string.yaml", ["A=1", "B=two words", "pos"]),
              ("27-params-string-backtick.yaml", ["STAMP=`date +%F`", "MODE=fast"]),
              ("28-params-string-json-object.yaml", ["REGION=eu-west", "LIMIT=50"]),
              ("29-params-string-json-array.yaml", ["input.csv", "output.csv"]),
              ("30-params-list.yaml", ["A=1", "B=2", "pos"]),
              ("31-params-map.yaml", ["A=1", "B=x", "ENABLED=true"]),
          ])
    func plainParams(file: String, expected: [String]) throws {
        let params = try dag(file).params
        let rendered = params.map { param -> String in
            let value = param.defaultValue?.stringValue ?? "?"
            return param.name.map { "\($0)=\(value)" } ?? value
        }
        #expect(rendered == expected)
        #expect(params.allSatisfy { !$0.isTyped })
    }

    @Test("§2 labels in every form are trimmed and lower-cased",
          arguments: [
              ("13-labels-comma-string.yaml", ["finance", "nightly", "team=data"]),
              ("14-labels-key-value-string.yaml", ["team=data", "tier=gold"]),
              ("15-labels-map.yaml", ["team=data", "tier=gold"]),
              ("16-labels-list.yaml", ["nightly", "tier=gold", "team=data"]),
              ("17-labels-older-tags.yaml", ["finance", "nightly"]),
              ("10-user-map-keys-untouched.yaml", ["costcenter=research"]),
              ("05-dialect-renames-dag-level.yaml", ["legacy", "renamed"]),
          ])
    func labels(file: String, expected: [String]) throws {
        #expect(try dag(file).labels.map(\.description) == expected)
    }

    @Test("§3 chain, graph and parallel group dependencies",
          arguments: [
              ("19-chain-inferred.yaml", DAGType.chain, ["first": [], "second": ["first"], "third": ["second"]]),
              ("20-graph-inferred-empty-depends.yaml", .graph, ["a": [], "b": [], "c": ["a", "b"]]),
              ("21-graph-explicit-type.yaml", .graph, ["download-a": [], "download-b": [], "merge": ["download-a", "download-b"]]),
              ("22-chain-explicit-type.yaml", .chain, ["first": [], "second": ["first"]]),
              ("23-chain-parallel-group.yaml", .chain, ["prepare": [], "lint": ["prepare"], "test": ["prepare"], "package": ["lint", "test"]]),
              ("02-step-name-and-id.yaml", .graph, ["Extract customer rows": [], "Transform rows": ["Extract customer rows"], "Load rows": ["Transform rows"]]),
              ("25-depends-forms.yaml", .graph, ["fetch": [], "parse": ["fetch"], "validate": ["fetch"], "store": ["parse", "validate"]]),
              ("24-bare-string-steps.yaml", .chain, ["cmd_1": [], "cmd_2": ["cmd_1"], "named": ["cmd_2"]]),
          ])
    func dependencies(file: String, type: DAGType, expected: [String: [String]]) throws {
        let dag = try dag(file)
        #expect(dag.type == type)
        #expect(Dictionary(uniqueKeysWithValues: dag.steps.map { ($0.name, $0.depends) }) == expected)
    }

    @Test("§3 parallel group keeps file order of nodes")
    func parallelGroupOrder() throws {
        #expect(try dag("23-chain-parallel-group.yaml").steps.map(\.name) == ["prepare", "lint", "test", "package"])
    }

    @Test("§15.1 schedule entries: strings, lists, start/stop, objects, at, zones")
    func schedules() throws {
        let single = try dag("72-schedule-string.yaml").schedule
        #expect(single.start.map(\.description) == ["*/15 8-18 * * 1-5"])
        #expect(single.stop.isEmpty && single.restart.isEmpty)

        let list = try dag("73-schedule-list.yaml").schedule
        #expect(list.start.count == 3)
        let zones = list.start.map { entry -> String? in
            if case .cron(let cron) = entry { return cron.timeZoneIdentifier }
            return "not cron"
        }
        #expect(zones == [nil, "Europe/Berlin", "America/New_York"])

        let startStop = try dag("74-schedule-start-stop.yaml").schedule
        #expect(startStop.start.count == 1)
        #expect(startStop.stop.count == 2)

        let objects = try dag("75-schedule-entry-objects.yaml").schedule
        try #require(objects.start.count == 4)
        #expect(objects.stop.map(\.description) == ["0 22 * * *"])
        guard case .cron(let tokyo) = objects.start[1] else {
            Issue.record("expected a cron entry, got \(objects.start[1])")
            return
        }
        #expect(tokyo.timeZoneIdentifier == "Asia/Tokyo")
        guard case .at(let first, let source) = objects.start[2], case .at(let second, _) = objects.start[3] else {
            Issue.record("expected at entries, got \(objects.start)")
            return
        }
        #expect(source == "2026-03-29T02:10:00+01:00")
        #expect(first == Date(timeIntervalSince1970: 1_774_746_600))  // 2026-03-29T01:10:00Z
        #expect(second == Date(timeIntervalSince1970: 1_798_758_000))  // 2026-12-31T23:00:00Z

        let oneOff = try dag("76-schedule-one-off-at.yaml").schedule
        guard case .at(let date, _)? = oneOff.start.first else {
            Issue.record("expected an at entry, got \(oneOff.start)")
            return
        }
        #expect(date == Date(timeIntervalSince1970: 1_894_672_800))  // 2030-01-15T02:00:00Z

        #expect(try dag("77-schedule-cron-field-forms.yaml").schedule.start.count == 3)
    }

    @Test("§8.1 continue_on as strings, a map and with the alias failure")
    func continueOn() throws {
        let strings = try dag("59-continue-on-strings.yaml")
        #expect(try step(strings, "maybe-skipped").continueOn == { var c = ContinueOn(); c.skipped = true; return c }())
        #expect(try step(strings, "may-fail").continueOn == { var c = ContinueOn(); c.failed = true; return c }())
        #expect(try step(strings, "always-reached").continueOn.isEmpty)

        let map = try dag("60-continue-on-map.yaml")
        #expect(try step(map, "grep-no-match").continueOn.exitCodes == [1])
        let partial = try step(map, "partial-sync").continueOn
        #expect(partial.exitCodes == [23, 24] && partial.output == ["files skipped"] && !partial.failed)
        let flake = try step(map, "known-flake").continueOn
        #expect(flake.output == ["E1041", "re:E10[0-9]{2}"] && flake.markSuccess)
        let both = try step(map, "both-flags").continueOn
        #expect(both.skipped && both.failed && !both.markSuccess)

        #expect(try step(try dag("61-continue-on-failure-alias.yaml"), "may-fail").continueOn.failed)
        #expect(try step(try dag("06-dialect-renames-step-level.yaml"), "check").continueOn.failed)
    }

    @Test("§8.2 retry_policy: numbers, strings evaluated later, backoff forms")
    func retryPolicies() throws {
        let full = try #require(try step(try dag("62-retry-policy.yaml"), "fetch").retryPolicy)
        var expected = RetryPolicy(limit: .value(3))
        expected.intervalSec = .value(2)
        expected.exitCodes = [1, 75]
        expected.backoff = 2.0
        expected.maxIntervalSec = 10
        #expect(full == expected)

        let strings = try #require(try step(try dag("63-retry-policy-strings.yaml"), "fetch").retryPolicy)
        #expect(strings.limit == .expression("${RETRIES}"))
        #expect(strings.intervalSec == .expression("${WAIT}"))
        #expect(strings.backoff == 1.5)
    }

    @Test("§8.3 repeat_policy: true, while, until, inferred modes")
    func repeatPolicies() throws {
        let always = try #require(try step(try dag("64-repeat-policy-true.yaml"), "poll").repeatPolicy)
        #expect(always.mode == .while && always.condition == nil && always.exitCodes.isEmpty)
        #expect(always.limit == 5 && always.intervalSec == 1)

        let whileDAG = try dag("65-repeat-policy-while.yaml")
        let lock = try #require(try step(whileDAG, "wait-for-lock-release").repeatPolicy)
        #expect(lock.mode == .while)
        #expect(lock.condition == Condition(condition: "test -f /tmp/trellis-example.lock"))
        #expect(lock.limit == 10 && lock.intervalSec == 2)
        let busy = try #require(try step(whileDAG, "retry-while-busy").repeatPolicy)
        #expect(busy.mode == .while && busy.exitCodes == [75] && busy.backoff == 2 && busy.maxIntervalSec == 8 && busy.limit == 6)

        let untilDAG = try dag("66-repeat-policy-until.yaml")
        let ready = try #require(try step(untilDAG, "wait-until-ready").repeatPolicy)
        #expect(ready.mode == .until)
        #expect(ready.condition == Condition(condition: "`cat /tmp/trellis-example.state`", expected: "ready"))
        #expect(ready.limit == 30)
        let zero = try #require(try step(untilDAG, "until-exit-zero").repeatPolicy)
        #expect(zero.mode == .until && zero.exitCodes == [0] && zero.condition == nil)
    }

    @Test("§8.4 preconditions: string, map, list, expected, negate, alias command")
    func preconditions() throws {
        let forms = try dag("68-preconditions-forms.yaml")
        #expect(forms.preconditions == [
            Condition(condition: "test -d /tmp"),
            Condition(condition: "${ENV_NAME}", expected: "re:^(staging|production)$"),
        ])
        #expect(try step(forms, "map-form").preconditions == [Condition(condition: "`date +%Y`", expected: "re:^20[0-9]{2}$")])
        #expect(try step(forms, "alias-and-negate").preconditions == [
            Condition(condition: "test -f /tmp/trellis-example.stop", negate: true),
            Condition(condition: "${ENV_NAME}", expected: "staging"),
        ])
        #expect(try step(try dag("67-preconditions-string.yaml"), "only-on-weekdays").preconditions
            == [Condition(condition: #"test "$(date +%u)" -le 5"#)])
    }

    @Test("§9 handlers: every key, node names, a handler's own precondition")
    func handlers() throws {
        let dag = try dag("69-handlers.yaml")
        #expect(dag.handlerOn.all.map(\.name) == ["onInit", "onSuccess", "onFailure", "onAbort", "onExit"])
        #expect(dag.handlerOn.all.allSatisfy { $0.depends.isEmpty })
        #expect(dag.handlerOn.exit?.preconditions == [Condition(condition: "test -d /tmp")])
        #expect(dag.handlerOn.failure?.commands == [#"echo "failed" >&2"#])
        #expect(dag.steps.map(\.name) == ["work"])

        let renamed = try self.dag("05-dialect-renames-dag-level.yaml")
        #expect(renamed.handlerOn.abort?.commands == [#"echo "the run was aborted""#])
        #expect(renamed.workingDir == "/tmp" && renamed.delaySec == 1)
        #expect(renamed.preconditions == [Condition(condition: "test -d /tmp")])
    }

    @Test("§2 every top-level field of 11-top-level-fields")
    func topLevelFields() throws {
        let dag = try dag("11-top-level-fields.yaml")
        #expect(dag.description == "A DAG that sets every first-version top-level field")
        #expect(dag.group == "reporting")
        #expect(dag.labels.map(\.description) == ["finance", "daily"])
        #expect(dag.type == .chain)
        #expect(dag.schedule.start.map(\.description) == ["0 6 * * 1-5"])
        #expect(dag.skipIfSuccessful)
        #expect(dag.params == [.plain(name: "REPORT_DATE", value: "today")])
        #expect(dag.env == [EnvEntry(name: "REPORT_DIR", value: "/tmp/reports")])
        #expect(dag.dotenv == [".env"])
        #expect(dag.workingDir == "/tmp")
        #expect(dag.shell == ["sh", "-e"])
        #expect(dag.timeoutSec == 3600 && dag.delaySec == 1 && dag.maxActiveSteps == 4 && dag.maxActiveRuns == 2)
        #expect(dag.maxCleanUpTimeSec == 15 && dag.maxOutputSize == 65536 && dag.histRetentionDays == 14)
        #expect(dag.preconditions == [Condition(condition: "test -d /tmp")])
        #expect(dag.handlerOn.exit?.name == "onExit")
        #expect(dag.steps.map(\.name) == ["build-report", "publish-report"])

        let defaults = try self.dag("19-chain-inferred.yaml")
        #expect(defaults.maxActiveRuns == 1 && defaults.maxCleanUpTimeSec == 5 && defaults.maxOutputSize == 1_048_576)
        #expect(defaults.histRetentionDays == 30 && defaults.timeoutSec == 0 && defaults.queue == nil)
        #expect(try self.dag("12-queue.yaml").queue == "batch")
        let named = try self.dag("01-dag-name-and-group.yaml")
        #expect(named.name == "spec-named-dag" && named.fileName == "01-dag-name-and-group" && named.group == "examples")
    }

    @Test("§6.2 command forms: one line, a list (a: b kept as text), multi-line becomes a script")
    func commandForms() throws {
        let dag = try dag("46-command-forms.yaml")
        #expect(try step(dag, "one-line").commands == [#"echo "one line run with sh -c""#])
        #expect(try step(dag, "list-of-commands").commands == [#"echo "first""#, #"echo "second""#, "echo key: value"])
        let multi = try step(dag, "multi-line")
        #expect(multi.commands.isEmpty)
        #expect(multi.script == "echo \"a command with a newline\"\necho \"is run as a script\"\n")

        let scripts = try self.dag("47-script-forms.yaml")
        #expect(try step(scripts, "shebang-script").script?.hasPrefix("#!/bin/bash\n") == true)
        let interpreter = try step(scripts, "interpreter-from-command")
        #expect(interpreter.commands == ["bash -u"] && interpreter.script != nil)

        let shells = try self.dag("18-shell-forms.yaml")
        #expect(shells.shell == ["bash", "-e"])
        #expect(try step(shells, "own-shell").shell == ["bash", "-e", "-u"])
        #expect(try step(shells, "plain-sh").shell == ["/bin/sh"])
        #expect(try step(shells, "uses-dag-shell").shell == nil)
    }

    @Test("§6.1 generated names, §6.4 output names, §6.1 step fields")
    func stepFields() throws {
        #expect(try dag("44-step-generated-names.yaml").steps.map(\.name) == ["prepare", "cmd_2", "script_3", "finish"])
        #expect(try dag("49-output-capture.yaml").steps.map(\.output) == ["VERSION", "RESULT_URL", nil])

        let full = try step(try dag("45-step-all-fields.yaml"), "full-step")
        #expect(full.id == "full_step" && full.description == "Shows the step fields" && full.depends == ["setup"])
        #expect(full.shell == ["sh"] && full.workingDir == "/tmp" && full.env == [EnvEntry(name: "MODE", value: "verbose")])
        #expect(full.output == "FULL_RESULT" && full.stdout == "/tmp/trellis-full-step.out" && full.stderr == "/tmp/trellis-full-step.err")
        #expect(full.continueOn.failed && full.retryPolicy == RetryPolicy(limit: .value(1)))
        #expect(full.preconditions == [Condition(condition: "test -d /tmp")])
        #expect(full.timeoutSec == 30 && full.signalOnStop == "SIGTERM")
        #expect(try step(try dag("70-timeouts-and-stop.yaml"), "bounded").signalOnStop == "SIGINT")
    }

    @Test("§7.1/§7.2 sub-DAG calls, params forms and parallel items")
    func subDAGs() throws {
        let calls = try dag("51-sub-dag-call.yaml")
        let stringCall = try step(calls, "call-string-params")
        #expect(stringCall.kind == .dag && stringCall.call == "50-sub-dag-child" && stringCall.callParams == "REGION=eu")
        #expect(try step(calls, "call-list-params").callParams == "REGION=us")
        #expect(try step(calls, "call-map-params").callParams == #"REGION="ap""#)
        #expect(try step(calls, "use-result").kind == .command)

        #expect(try dag("52-sub-dag-type-aliases.yaml").steps.map(\.kind) == [.dag, .dag])

        let fixed = try step(try dag("53-parallel-static-list.yaml"), "per-region")
        #expect(fixed.kind == .parallel)
        #expect(fixed.parallel == ParallelSpec(items: .list([.string("eu"), .string("us"), .string("ap")])))

        let variable = try step(try dag("54-parallel-from-variable.yaml"), "per-region")
        #expect(variable.parallel == ParallelSpec(items: .reference("${REGIONS}")))

        let maps = try step(try dag("55-parallel-items-max-concurrent.yaml"), "per-region")
        #expect(maps.kind == .parallel && maps.parallel?.maxConcurrent == 2)
        guard case .list(let items)? = maps.parallel?.items else {
            Issue.record("expected static items, got \(String(describing: maps.parallel))")
            return
        }
        #expect(items.count == 3)
        #expect(items.first == .object(JSONObject([("REGION", .string("eu")), ("SIZE", .integer(1))])))

        let renamed = try dag("08-dialect-run-and-max-concurrent.yaml")
        #expect(try step(renamed, "one-child").call == "50-sub-dag-child")
        #expect(try step(renamed, "fan-out").parallel?.maxConcurrent == 2)
    }

    @Test("§1.3 rule 1: keys of user maps are never re-cased")
    func userMapKeys() throws {
        let dag = try dag("10-user-map-keys-untouched.yaml")
        #expect(dag.env.map(\.name) == ["apiBaseUrl", "retryCount"])
        #expect(dag.params.map(\.name) == ["maxRows"])
        let health = try step(dag, "health")
        #expect(health.http?.headers.map(\.name) == ["X-Request-Id"])
        #expect(health.http?.query.map(\.name) == ["pageSize"])
    }

    @Test("§1.3: executor forms select the step type and settings")
    func executorForms() throws {
        let dag = try dag("07-dialect-executor-forms.yaml")
        #expect(dag.steps.map(\.kind) == [.command, .http, .http])
        #expect(try step(dag, "ping-a").http?.timeoutSec == 5)
        #expect(try step(dag, "ping-a").http?.silent == true)
        #expect(try step(dag, "ping-b").http?.timeoutSec == 5)
    }
}
