import Foundation
import Testing
@testable import TrellisAPI
import TrellisCore

/// The §9 schemas of the OpenAPI document, a real validator over the whole document, and the
/// DTO renderers' output validated against the schemas.
@Suite("OpenAPI schemas (§9) and validation")
struct OpenAPISchemaTests {
    typealias Doc = OpenAPIDocumentTests

    @Test("required fields match §9 for DAGRunSummary, DAGRunDetails, Node, Step and DAGFile")
    func requiredLists() {
        let summary: Set<String> = [
            "dagRunId", "name", "status", "statusLabel", "startedAt", "finishedAt", "labels", "tags", "artifactsAvailable",
            "autoRetryCount", "autoRetryLimit",
        ]
        #expect(Doc.required("DAGRunSummary") == summary)
        #expect(Doc.properties("DAGRunSummary") == summary.union(["queuedAt", "scheduleTime", "params", "triggerType"]))
        #expect(Doc.required("DAGRunDetails") == summary.union(["rootDAGRunName", "rootDAGRunId", "log", "nodes", "preconditions"]))
        #expect(Doc.properties("DAGRunDetails") == Doc.properties("DAGRunSummary").union([
            "rootDAGRunName", "rootDAGRunId", "parentDAGRunName", "parentDAGRunId", "log", "nodes", "onInit", "onSuccess",
            "onFailure", "onAbort", "onExit", "preconditions", "error", "specFromFile", "sourceFileName",
        ]))
        #expect(Doc.required("Node") == [
            "step", "stdout", "stderr", "startedAt", "finishedAt", "status", "statusLabel", "retryCount", "doneCount",
            "subRuns", "subRunsRepeated",
        ])
        #expect(Doc.properties("Node") == Doc.required("Node").union(["error", "retriedAt", "exitCode"]))
        #expect(Doc.required("Step") == ["name", "commands", "depends", "preconditions"])
        #expect(Doc.properties("Step") == [
            "name", "id", "description", "dir", "commands", "script", "stdout", "stderr", "output", "call", "params",
            "parallel", "depends", "continueOn", "retryPolicy", "repeatPolicy", "mailOnError", "preconditions", "timeoutSec",
            "signalOnStop", "executorConfig",
        ])
        #expect(Doc.required("DAGFile") == ["fileName", "filePath", "dag", "latestDAGRun", "suspended", "errors"])
        #expect(Doc.properties("DAGFile") == Doc.required("DAGFile").union(["nextRun"]))
        #expect(Doc.required("DAG") == ["name", "params", "labels", "tags", "schedule"])
        #expect(Doc.required("SubDAGRun") == ["dagRunId", "dagName", "name", "status", "statusLabel"])
        #expect(Doc.required("Pagination") == ["totalRecords", "currentPage", "totalPages", "nextPage", "prevPage"])
        #expect(Doc.required("Log") == ["content"])
    }

    @Test("types: integer statuses, nullable autoRetryLimit, \"\"-or-RFC 3339 required times, arrays of §1.2")
    func types() throws {
        let summary = try #require(Doc.schema("DAGRunSummary")?["properties"])
        #expect(summary["status"]?["type"] == "integer")
        #expect(summary["autoRetryLimit"]?["type"] == "integer")
        #expect(summary["autoRetryLimit"]?["nullable"] == true)
        #expect(summary["labels"]?["type"] == "array")
        let pattern = try #require(summary["startedAt"]?["pattern"]?.stringValue)
        let regex = try Regex(pattern)
        for accepted in ["", "2026-05-07T09:08:32+09:00", "2026-05-07T00:08:32Z"] {
            #expect(try regex.firstMatch(in: accepted) != nil, "\(accepted)")
        }
        #expect(try regex.firstMatch(in: "-") == nil)
        #expect(try regex.firstMatch(in: "2026-05-07 09:08:32") == nil)
        #expect(Doc.schema("Node")?["properties"]?["status"]?["type"] == "integer")
    }

    @Test("openapi-spec-validator accepts the document", .enabled(if: Python.hasSpecValidator))
    func specValidator() throws {
        // Skipped when the Python module is missing (`python3 -m pip install openapi-spec-validator`).
        for mount in ["/api/v1", "/trellis/rest"] {
            let result = try Python.withTemporaryDirectory { directory in
                let path = try Python.write(OpenAPIDocument.json(serverURL: mount).serialized(), to: "openapi.json", in: directory)
                return Python.run(["-m", "openapi_spec_validator", path])
            }
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("OK"), "\(result.output)")
        }
    }

    @Test("DTO output validates against the schemas (unknown fields rejected)", .enabled(if: Python.hasSpecValidator))
    func dtoConformance() throws {
        let samples = try Self.samples()
        let result = try Self.validate(samples)
        #expect(result.status == 0, "\(result.output)")
        // The check itself bites: a summary without autoRetryLimit, and one with an unknown field.
        var missing = try #require(RunDTO.summary(RunSummaryFixtures.finished(), zone: DTOTest.utc).objectValue)
        missing["autoRetryLimit"] = nil
        var extra = try #require(RunDTO.summary(RunSummaryFixtures.finished(), zone: DTOTest.utc).objectValue)
        extra["command"] = "echo"
        for bad in [missing, extra] {
            #expect(try Self.validate([("DAGRunSummary", .object(bad))]).status != 0)
        }
    }

    /// Validates `[(schema name, value)]` with openapi-schema-validator (OAS 3.0 semantics,
    /// formats checked), every object schema closed with `additionalProperties: false`.
    static func validate(_ samples: [(String, JSONValue)]) throws -> Python.Result {
        try Python.withTemporaryDirectory { directory in
            let documentPath = try Python.write(Doc.document.serialized(), to: "openapi.json", in: directory)
            let samplesPath = try Python.write(JSONValue.array(samples.map { [.string($0.0), $0.1] }).serialized(),
                                               to: "samples.json", in: directory)
            return Python.run(["-c", validatorScript, documentPath, samplesPath])
        }
    }

    static let validatorScript = """
        import copy, json, sys
        from openapi_schema_validator import OAS30Validator, oas30_format_checker
        doc = json.load(open(sys.argv[1]))
        samples = json.load(open(sys.argv[2]))
        def close(node):
            if isinstance(node, dict):
                if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
                    node["additionalProperties"] = False
                for value in node.values():
                    close(value)
            elif isinstance(node, list):
                for value in node:
                    close(value)
        components = copy.deepcopy(doc["components"])
        close(components)
        failures = []
        for index, (name, value) in enumerate(samples):
            schema = dict(components["schemas"][name])
            schema["components"] = components
            for error in OAS30Validator(schema, format_checker=oas30_format_checker).iter_errors(value):
                path = "/".join(str(part) for part in error.absolute_path)
                failures.append("sample %d (%s) at /%s: %s" % (index, name, path, error.message))
        print("\\n".join(failures) or "ok")
        sys.exit(1 if failures else 0)
        """

    /// DTO renderings of rich fixtures, each with the schema it must satisfy.
    static func samples() throws -> [(String, JSONValue)] {
        let rich = try DTOTest.dag(RichDAG.yaml, file: "etl.yaml")
        let minimal = try DTOTest.dag("steps:\n  - echo hi\n", file: "hello.yaml")
        let snapshot = RichDAG.snapshot()
        var samples: [(String, JSONValue)] = []
        for zone in [DTOTest.utc, DTOTest.tokyo] {
            samples += [
                ("DAGDetails", DAGDTO.details(rich, nextRun: DTOTest.t0, zone: zone)),
                ("DAGDetails", DAGDTO.details(minimal, nextRun: nil, zone: zone)),
                ("DAG", DAGDTO.listItem(rich, zone: zone)),
                ("DAG", DAGDTO.minimalListItem(name: "broken")),
                ("DAGFile", DAGFileDTO.render(fileName: "etl", filePath: "/dags/etl.yaml", dag: rich, latestRun: snapshot,
                                              nextRun: DTOTest.t0, suspended: false, errors: [], zone: zone)),
                ("DAGFile", DAGFileDTO.render(fileName: "bad", filePath: "/dags/bad.yaml", dag: nil, latestRun: nil,
                                              nextRun: nil, suspended: true, errors: ["steps: is required"], zone: zone)),
                ("DAGRunSummary", RunDTO.summary(snapshot, zone: zone)),
                ("DAGRunSummary", RunDTO.summary(RunSummaryFixtures.finished(), zone: zone)),
                ("DAGRunSummary", RunDTO.notStartedSummary(rich, zone: zone)),
                ("DAGRunDetails", RunDTO.details(snapshot, dag: rich, zone: zone, specFromFile: true, sourceFileName: "etl")),
                ("DAGRunDetails", RunDTO.details(snapshot, dag: nil, zone: zone)),
                ("DAGRunDetails", RunDTO.notStartedDetails(rich, zone: zone)),
                ("DAGRunHistoryResponse", DAGRunHistoryDTO.render([.init(snapshot: snapshot, dag: rich)], current: rich, zone: zone)),
                ("OutputsResponse", OutputsDTO.render(snapshot, outputs: [("result", "42")], zone: zone)),
                ("OutputsResponse", OutputsDTO.render(snapshot, outputs: [], zone: zone)),
                ("SubDAGRunsResponse", SubRunsDTO.render(SubRunsDTO.records(of: snapshot).map { .init(record: $0, snapshot: nil) },
                                                         zone: zone)),
            ]
        }
        samples += searchSamples(rich: rich)
        samples += [
            ("Pagination", Pagination.render(total: 120, page: 2, perPage: 50)),
            ("Error", APIError.badRequest("name must be at most 40 characters").body),
            ("Error", APIError(.internalServerError, .internalError, "An unexpected error occurred",
                               details: ["requestId": "abc"]).body),
        ]
        return samples
    }
}

extension OpenAPISchemaTests {
    /// The search shapes of API §5: feeds with and without cursors, match pages, the legacy result.
    static func searchSamples(rich: DAG) -> [(String, JSONValue)] {
        let text = SearchableText("a\nneedle one\nb\nNEEDLE two\n")
        let query = SearchQuery("needle")!
        let first = text.matches(query, limit: 1)
        let all = text.matches(query, limit: 50)
        let document = Document(id: "runbooks/deploy", text: "---\ntitle: Deploy\n---\nneedle\n")
        return [
            ("SearchMatchItem", SearchDTO.match(first.matches[0])),
            ("DAGSearchPageResponse", SearchDTO.feed([
                SearchDTO.dagPageItem(fileName: "etl", firstMatch: first, nextMatchesCursor: "abc"),
                SearchDTO.dagPageItem(fileName: "other", firstMatch: SearchMatchPage(matches: first.matches, hasMore: false),
                                      nextMatchesCursor: nil),
            ], hasMore: true, nextCursor: "def")),
            ("DAGSearchPageResponse", SearchDTO.feed([], hasMore: false, nextCursor: nil)),
            ("DocSearchPageResponse", SearchDTO.feed([SearchDTO.docPageItem(document, firstMatch: first, nextMatchesCursor: "x")],
                                                     hasMore: false, nextCursor: nil)),
            ("SearchMatchesResponse", SearchDTO.matchesResponse(first, nextCursor: "ghi")),
            ("SearchMatchesResponse", SearchDTO.matchesResponse(all, nextCursor: nil)),
            ("DAGSearchResponse", .object(JSONObject([
                ("results", .array([
                    SearchDTO.resultItem(fileName: "etl", dag: DAGDTO.listItem(rich, zone: DTOTest.utc), matches: all.matches),
                    SearchDTO.resultItem(fileName: "bad", dag: DAGDTO.minimalListItem(name: "bad"), matches: first.matches),
                ])),
                ("errors", .array([])),
            ]))),
        ]
    }
}

/// A DAG that uses most step and DAG features, and a run of it with sub-runs and handlers.
enum RichDAG {
    static let yaml = """
        name: etl
        description: Nightly ETL
        group: data
        labels: "team=data, nightly"
        schedule:
          start:
            - "CRON_TZ=Asia/Tokyo 0 2 * * *"
            - at: "2026-06-01T09:00:00+09:00"
        env:
          - A: 1
        timeout_sec: 600
        delay_sec: 2
        max_active_steps: 3
        queue: batch
        preconditions:
          - condition: test -d /data
        params:
          - {name: environment, type: string, enum: [staging, production], default: staging}
          - {name: batch_size, type: integer, default: 25, minimum: 1, description: Rows per batch}
          - {name: token, type: string, required: true}
        handler_on:
          failure:
            command: echo failed
          exit:
            command: echo bye
        steps:
          - name: extract
            id: ext
            description: Extract
            working_dir: /tmp
            command: ./extract.sh --fast
            stdout: /tmp/out.log
            output: RESULT
            continue_on:
              failed: true
              exit_code: [3]
            retry_policy:
              limit: 3
              interval_sec: "${WAIT}"
              exit_code: [1]
              backoff: 1.5
              max_interval_sec: 60
            repeat_policy:
              repeat: until
              condition: "`cat status`"
              expected: done
              interval_sec: 10
              backoff: true
            preconditions:
              - condition: "$ENV"
                expected: prod
                negate: true
            timeout_sec: 30
            signal_on_stop: SIGINT
          - name: notify
            type: http
            command: post https://hooks.example.com/build
            with:
              timeout: 10
          - name: child
            call: transform
            params: "A=1"
          - name: fan
            call: worker
            parallel:
              items: [a, 2]
              max_concurrent: 3
          - name: script
            script: |
              echo hi
        """

    static func snapshot() -> RunSnapshot {
        let header = DTOTest.header(trigger: .subdag, params: "A=1", labels: ["team=data"], parent: RunRef(name: "parent", id: "p1"),
                                    root: RunRef(name: "root", id: "root1"), scheduleTime: DTOTest.t0)
        var extract = NodeRecord(name: "extract", status: .failed)
        extract.startedAt = DTOTest.t0; extract.finishedAt = DTOTest.t0.addingTimeInterval(5); extract.exitCode = 2
        extract.retriedAt = DTOTest.t0.addingTimeInterval(2); extract.retryCount = 1; extract.error = "exit status 2"
        extract.stdout = "/d/extract.out"; extract.stderr = "/d/extract.err"
        var child = NodeRecord(name: "child", status: .running)
        child.subRuns = [SubRunRecord(dagRunId: "c1", dagName: "transform", params: "A=1", status: .running)]
        var fan = NodeRecord(name: "fan", status: .succeeded)
        fan.subRuns = [SubRunRecord(dagRunId: "f1", dagName: "worker", params: nil, status: .succeeded),
                       SubRunRecord(dagRunId: "f2", dagName: "worker", params: "ITEM=2", status: .failed)]
        var onFailure = NodeRecord(name: "onFailure", status: .succeeded)
        onFailure.startedAt = DTOTest.t0
        var condition = ConditionRecord(Condition(condition: "test -d /data"))
        condition.matched = false; condition.error = "condition was not met"
        var snapshot = RunSnapshot(header: header, attemptId: "att", status: .failed, log: "/data/run.log",
                                   nodes: [extract, NodeRecord(name: "notify"), child, fan, NodeRecord(name: "gone")],
                                   handlers: ["onFailure": onFailure], preconditions: [condition])
        snapshot.queuedAt = DTOTest.t0.addingTimeInterval(-3)
        snapshot.startedAt = DTOTest.t0
        snapshot.finishedAt = DTOTest.t0.addingTimeInterval(9)
        snapshot.error = "step extract failed"
        return snapshot
    }
}

/// The finished scheduled run of the summary tests.
enum RunSummaryFixtures {
    static func finished() -> RunSnapshot {
        let header = DTOTest.header(trigger: .scheduler, params: #"A=1 B="x y""#, labels: ["team=data", "nightly"],
                                    scheduleTime: DTOTest.t0)
        var snapshot = RunSnapshot(header: header, attemptId: "att1", status: .succeeded, log: "/data/run.log", nodes: [])
        snapshot.queuedAt = DTOTest.t0.addingTimeInterval(-60)
        snapshot.startedAt = DTOTest.t0
        snapshot.finishedAt = DTOTest.t0.addingTimeInterval(90)
        return snapshot
    }
}
