import TrellisCore

/// The paths of API §5 (search), §6 (DAG runs), §7 (queues) and §8 (event logs).
extension OpenAPIDocument {
    /// `q`: required; missing or blank → 400.
    static func searchQuery(_ description: String) -> JSONValue {
        OAS.query("q", OAS.string(pattern: #"\S"#, minLength: 1), description + " Missing or blank → 400.", required: true)
    }

    static var searchPaths: [(String, JSONValue)] {
        let substring = "Case-insensitive literal substring searched in each line."
        return [
            ("/dags/search", ["get": OAS.operation(
                "searchDAGs", tag: "search", summary: "Search DAG files with a regular expression (legacy)",
                parameters: [searchQuery("A case-insensitive regular expression; an invalid one → 400.")] + listCommon,
                responses: [("200", OAS.json("DAGSearchResponse", "Every match of every DAG file, by file name."))])]),
            ("/search/dags", ["get": OAS.operation(
                "searchDAGFeed", tag: "search", summary: "Search DAG files (cursor feed)",
                description: "DAG files ordered by file name; each item carries its first match only.",
                parameters: [searchQuery(substring), OAS.parameterRef("labels"), OAS.parameterRef("cursor"),
                             OAS.clampedInteger("limit", default: 20, "Items per page, clamped to 1–50.")] + listCommon,
                responses: [("200", OAS.json("DAGSearchPageResponse", "A page of DAG files with a match."))])]),
            ("/search/dags/{fileName}/matches", ["get": OAS.operation(
                "searchDAGMatches", tag: "search", summary: "More matches in one DAG file",
                parameters: [fileName, searchQuery(substring), OAS.parameterRef("labels"),
                             OAS.query("cursor", OAS.string(), "A `nextMatchesCursor` or `nextCursor`; garbled or for other filters → 400."),
                             OAS.clampedInteger("limit", default: 5, "Matches per page, clamped to 1–50.")] + common,
                responses: [("200", OAS.json("SearchMatchesResponse", "A page of matches (`[]` on no match or label mismatch)."))],
                errors: [404])]),
            ("/search/docs", ["get": OAS.operation(
                "searchDocFeed", tag: "search", summary: "Search docs (cursor feed)",
                description: "Markdown files under docs_dir, ordered by id; each item carries its first match only.",
                parameters: [searchQuery(substring), OAS.parameterRef("cursor"),
                             OAS.clampedInteger("limit", default: 20, "Items per page, clamped to 1–50.")] + listCommon,
                responses: [("200", OAS.json("DocSearchPageResponse", "A page of docs with a match."))])]),
            ("/search/docs/matches", ["get": OAS.operation(
                "searchDocMatches", tag: "search", summary: "More matches in one doc",
                parameters: [
                    OAS.query("path", OAS.string(minLength: 1, maxLength: 256), """
                        A doc id (`runbooks/deploy-guide`): `/`-separated segments matching \
                        `[A-Za-z0-9_][A-Za-z0-9_. -]*`, no `..`, at most 256 characters → else 400.
                        """, required: true),
                    searchQuery(substring),
                    OAS.query("cursor", OAS.string(), "A `nextMatchesCursor` or `nextCursor`; garbled or for another query → 400."),
                    OAS.clampedInteger("limit", default: 5, "Matches per page, clamped to 1–50."),
                ] + common,
                responses: [("200", OAS.json("SearchMatchesResponse", "A page of matches."))], errors: [404])]),
        ]
    }

    static var runStatusValues: [String] {
        (0...8).map(String.init) + [
            "not_started", "running", "failed", "aborted", "succeeded", "queued", "partially_succeeded", "waiting", "rejected",
        ]
    }

    /// The filters of `GET /dag-runs` (§6.1); `withName` adds the `name` substring filter.
    static func runListParameters(withName: Bool) -> [JSONValue] {
        var parameters: [JSONValue] = [
            [
                "name": "status", "in": "query", "style": "form", "explode": true,
                "description": "Run status integer or label, repeatable (`?status=2&status=3`); an unknown one → 400.",
                "schema": OAS.array(OAS.string(values: runStatusValues)),
            ],
            OAS.query("fromDate", OAS.string(), "Lower bound on creation time: Unix seconds or RFC 3339 → else 400."),
            OAS.query("toDate", OAS.string(), "Upper bound on creation time: Unix seconds or RFC 3339 → else 400."),
            OAS.query("dagRunId", OAS.string(), "Substring of the run ID."),
        ]
        if withName { parameters.append(OAS.query("name", OAS.string(), "Case-insensitive substring of the DAG name.")) }
        return parameters + [
            OAS.parameterRef("labels"), OAS.parameterRef("tags"),
            OAS.clampedInteger("limit", default: 100, "Runs per page, clamped to 1–500."),
            OAS.parameterRef("cursor"),
        ] + listCommon
    }

    static var run: [JSONValue] { [OAS.parameterRef("dagName"), OAS.parameterRef("dagRunId")] }

    /// `tail`, `head`, `offset`, `limit` of the log endpoints (§6.9).
    static var logParameters: [JSONValue] {
        [
            OAS.query("tail", OAS.integer(format: "int64"), "The last N lines (wins over head and offset)."),
            OAS.query("head", OAS.integer(format: "int64"), "The first N lines (wins over offset)."),
            OAS.query("offset", OAS.integer(format: "int64"), "1-based first line."),
            OAS.clampedInteger("limit", default: 1000, "Lines to return, clamped to 1–10000."),
        ]
    }

    static var runPaths: [(String, JSONValue)] {
        [
            ("/dag-runs", [
                "get": OAS.operation(
                    "listDAGRuns", tag: "dag-runs", summary: "List root runs, newest first (cursor pagination)",
                    parameters: runListParameters(withName: true),
                    responses: [("200", OAS.json("DAGRunListResponse", "A page of runs."))], errors: [504]),
                "post": OAS.operation(
                    "executeDAGRunFromSpec", tag: "dag-runs", summary: "Run an inline YAML spec",
                    description: "The spec is stored with the run, not saved in dags_dir. Checks and response as `POST /dags/{fileName}/start`.",
                    parameters: common,
                    body: OAS.body("InlineRunRequest", required: true, "The YAML and start fields."),
                    responses: [("200", OAS.json("DAGRunIdResponse", "Started."))], errors: [409]),
            ]),
            ("/dag-runs/enqueue", ["post": OAS.operation(
                "enqueueDAGRunFromSpec", tag: "dag-runs", summary: "Queue a run of an inline YAML spec",
                parameters: common,
                body: OAS.body("InlineEnqueueRequest", required: true, "The YAML, start fields and queue."),
                responses: [("200", OAS.json("DAGRunIdResponse", "Queued."))], errors: [409])]),
            ("/dag-runs/{name}", ["get": OAS.operation(
                "listDAGRunsByName", tag: "dag-runs", summary: "List the root runs of one DAG name",
                description: "An unknown name gives `dagRuns: []`. (`GET /dag-runs/enqueue` is the POST-only route → 405.)",
                parameters: [OAS.parameterRef("dagName")] + runListParameters(withName: false),
                responses: [("200", OAS.json("DAGRunListResponse", "A page of runs."))], errors: [405, 504])]),
            ("/dag-runs/{name}/{dagRunId}", ["get": OAS.operation(
                "getDAGRunDetails", tag: "dag-runs", summary: "One run (`latest` allowed)",
                description: "A `running` run whose agent is dead is repaired to `failed` first.",
                parameters: run + common,
                responses: [("200", OAS.json("DAGRunDetailsResponse", "The run, under `dagRunDetails`."))], errors: [404, 504])]),
            ("/dag-runs/{name}/{dagRunId}/stop", ["post": OAS.operation(
                "terminateDAGRun", tag: "dag-runs", summary: "Stop a running run or dequeue a queued one",
                description: "Returns once the stop is delivered. A finished run → 400 `not_running`.",
                parameters: run + common,
                responses: [("200", OAS.empty("Stop delivered. Empty body."))], errors: [404])]),
            ("/dag-runs/{name}/{dagRunId}/retry", ["post": OAS.operation(
                "retryDAGRun", tag: "dag-runs", summary: "Retry a run (same run ID, new attempt)",
                description: "Sent once the new attempt is `running` or `queued`. With `stepName`, only that step re-runs.",
                parameters: run + common,
                body: OAS.body("RetryDAGRunRequest", required: false, "Optional run ID check and step."),
                responses: [("200", OAS.empty("Retrying. Empty body."))], errors: [404, 409])]),
            ("/dag-runs/{name}/{dagRunId}/dequeue", [
                "get": dequeue("dequeueDAGRun"),
                "post": dequeue("dequeueDAGRunPost"),
            ]),
            ("/dag-runs/{name}/{dagRunId}/log", ["get": OAS.operation(
                "getDAGRunLog", tag: "dag-runs", summary: "The run agent's log",
                description: "Precedence: tail > head > offset (+limit) > the first `limit` lines.",
                parameters: run + logParameters + common,
                responses: [("200", OAS.json("Log", "The selected lines."))], errors: [404])]),
            ("/dag-runs/{name}/{dagRunId}/steps/{stepName}/log", ["get": OAS.operation(
                "getDAGRunStepLog", tag: "dag-runs", summary: "A step's stdout or stderr log",
                description: "Handler nodes are addressable (`onExit`).",
                parameters: run + [OAS.parameterRef("stepName")] + logParameters + [
                    OAS.query("stream", OAS.string(values: ["stdout", "stderr"], default: "stdout"), "Which log; another value → 400."),
                ] + common,
                responses: [("200", OAS.json("Log", "The selected lines."))], errors: [404])]),
            ("/dag-runs/{name}/{dagRunId}/steps/{stepName}/status", ["patch": OAS.operation(
                "updateDAGRunStepStatus", tag: "dag-runs", summary: "Overwrite a node's status",
                description: "In the latest attempt; the run status is re-derived. An active run → 400.",
                parameters: run + [OAS.parameterRef("stepName")] + common,
                body: OAS.body("StepStatusRequest", required: true, "The new node status."),
                responses: [("200", OAS.empty("Updated. Empty body."))], errors: [404])]),
            ("/dag-runs/{name}/{dagRunId}/outputs", ["get": OAS.operation(
                "getDAGRunOutputs", tag: "dag-runs", summary: "A run's output variables (`latest` allowed)",
                parameters: run + common,
                responses: [("200", OAS.json("OutputsResponse", "Metadata and outputs."))], errors: [404])]),
            ("/dag-runs/{name}/{dagRunId}/sub-dag-runs", ["get": OAS.operation(
                "getSubDAGRuns", tag: "dag-runs", summary: "Every child run of every node",
                parameters: run + [
                    OAS.query("parentSubDAGRunId", OAS.string(), "List the children of this sub-DAG run instead (nested levels)."),
                ] + common,
                responses: [("200", OAS.json("SubDAGRunsResponse", "The child runs, repeats included."))], errors: [404])]),
        ]
    }

    static func dequeue(_ id: String) -> JSONValue {
        OAS.operation(
            id, tag: "dag-runs", summary: "Dequeue a queued run (GET as in Dagu; POST accepted too)",
            description: "The run becomes `aborted` and leaves its queue. A run that is not queued → 400.",
            parameters: run + common,
            responses: [("200", OAS.empty("Dequeued. Empty body."))], errors: [404])
    }

    static var queueAndEventPaths: [(String, JSONValue)] {
        [
            ("/queues", ["get": OAS.operation(
                "listQueues", tag: "queues", summary: "Declared global queues and busy DAG queues",
                parameters: listCommon,
                responses: [("200", OAS.json("QueueListResponse", "The queues and a summary."))])]),
            ("/queues/{name}", ["get": OAS.operation(
                "getQueue", tag: "queues", summary: "One queue",
                parameters: [OAS.parameterRef("queueName")] + listCommon,
                responses: [("200", OAS.json("Queue", "The queue."))], errors: [404])]),
            ("/queues/{name}/items", ["get": OAS.operation(
                "listQueueItems", tag: "queues", summary: "A queue's queued runs, FIFO (cursor pagination)",
                description: "An unknown queue gives `items: []`. `type`, `page` and `perPage` are for older clients.",
                parameters: [
                    OAS.parameterRef("queueName"),
                    OAS.clampedInteger("limit", default: 100, "Runs per page; ≤ 0 → 100; at most 500."),
                    OAS.parameterRef("cursor"),
                    OAS.query("type", OAS.string(values: ["queued", "running"], default: "queued"), "Older clients: which runs."),
                    OAS.clampedInteger("page", default: 1, "Older clients: 1-based page (answers with `pagination`)."),
                    OAS.clampedInteger("perPage", default: 100, "Older clients: items per page."),
                ] + listCommon,
                responses: [("200", OAS.json("QueueItemsResponse", "A page of runs."))])]),
            ("/event-logs", ["get": OAS.operation(
                "listEventLogs", tag: "events", summary: "Run lifecycle events, newest first",
                description: """
                Offset mode (default) answers `total`; cursor mode (`paginationMode=cursor` or any `cursor`) answers \
                `nextCursor` while more entries exist. A cursor is bound to the filters it was issued for: other \
                filters, a garbled cursor or `offset` in cursor mode → 400. 503 `internal_error` \
                "Event logging is not configured" when `events.enabled` is false.
                """,
                parameters: [
                    OAS.query("kind", OAS.string(values: ["dag_run", "llm_usage"]), "`llm_usage` is accepted and matches nothing."),
                    OAS.query("type", OAS.string(values: eventTypes), "An event type."),
                    OAS.query("dagName", OAS.string(), "Exact match."),
                    OAS.query("dagRunId", OAS.string(), "Exact match."),
                    OAS.query("attemptId", OAS.string(), "Exact match."),
                    OAS.query("sessionId", OAS.string(), "Accepted; a value matches nothing."),
                    OAS.query("userId", OAS.string(), "Accepted; a value matches nothing."),
                    OAS.query("model", OAS.string(), "Accepted; a value matches nothing."),
                    OAS.query("startTime", OAS.string(format: "date-time"), "RFC 3339 lower bound on occurredAt → else 400."),
                    OAS.query("endTime", OAS.string(format: "date-time"), "RFC 3339 upper bound on occurredAt → else 400."),
                    OAS.clampedInteger("limit", default: 50, "Entries per page, clamped to 1–500."),
                    OAS.query("paginationMode", OAS.string(values: ["offset", "cursor"], default: "offset"),
                              "Sending `cursor` implies cursor mode."),
                    OAS.query("offset", OAS.integer(format: "int64", default: 0), "Offset mode only; with cursor mode → 400."),
                    OAS.parameterRef("cursor"),
                ] + common,
                responses: [("200", OAS.json("EventLogResponse", "A page of entries."))], errors: [503])]),
        ]
    }
}
