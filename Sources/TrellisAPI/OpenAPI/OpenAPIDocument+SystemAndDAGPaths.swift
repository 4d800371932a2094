import TrellisCore

/// The paths of API §3 (system) and §4 (DAGs).
extension OpenAPIDocument {
    static var systemPaths: [(String, JSONValue)] {
        [
            ("/health", ["get": OAS.operation(
                "getHealthStatus", tag: "system", summary: "Server health (always public)",
                responses: [("200", OAS.json("HealthResponse", "The server is up."))], isPublic: true)]),
            ("/openapi.json", ["get": OAS.operation(
                "getOpenAPIDocument", tag: "system", summary: "This OpenAPI document",
                description: "`servers` is exactly one entry: the relative mount path.",
                responses: [("200", OAS.json(OAS.map(), "The OpenAPI 3 document."))])]),
            ("/metrics", ["get": OAS.operation(
                "getMetrics", tag: "system", summary: "Prometheus metrics",
                description: "Public only with `metrics: public`; otherwise it needs credentials when auth is on.",
                responses: [("200", [
                    "description": "Prometheus text format (`text/plain; version=0.0.4; charset=utf-8`).",
                    "headers": .object(OAS.requestIDHeader),
                    "content": ["text/plain": ["schema": ["type": "string"]]],
                ])])]),
        ]
    }

    static var fileName: JSONValue { OAS.parameterRef("fileName") }

    static var dagPaths: [(String, JSONValue)] {
        [
            ("/dags", [
                "get": OAS.operation(
                    "listDAGs", tag: "dags", summary: "List DAG files (page pagination)",
                    parameters: [
                        OAS.clampedInteger("page", default: 1, "1-based page; values < 1 become 1."),
                        OAS.clampedInteger("perPage", default: 50, "Items per page, clamped to 1–200."),
                        OAS.query("name", OAS.string(), "Case-insensitive substring of the DAG name or the file name."),
                        OAS.parameterRef("labels"), OAS.parameterRef("tags"),
                        OAS.query("sort", OAS.string(values: ["name", "nextRun"], default: "name"), """
                            `name` (case-insensitive) or `nextRun` (soonest first; DAGs without a next run last, \
                            ties by name).
                            """),
                        OAS.query("order", OAS.string(values: ["asc", "desc"], default: "asc"), "Sort order."),
                    ] + listCommon,
                    responses: [("200", OAS.json("DAGListResponse", "A page of DAG files."))]),
                "post": OAS.operation(
                    "createNewDAG", tag: "dags", summary: "Create a DAG file",
                    parameters: common,
                    body: OAS.body("CreateDAGRequest", required: true, "The file name and optional YAML."),
                    responses: [("201", OAS.json("CreateDAGResponse", "Created; the DAG is in the catalog."))],
                    errors: [409]),
            ]),
            ("/dags/validate", ["post": OAS.operation(
                "validateDAGSpec", tag: "dags", summary: "Validate DAG YAML without saving it",
                description: "Never answers 5xx for any spec text.",
                parameters: common,
                body: OAS.body("ValidateDAGRequest", required: true, "The YAML to validate."),
                responses: [("200", OAS.json("ValidateDAGResponse", "The validation result."))])]),
            ("/dags/labels", ["get": OAS.operation(
                "listDAGLabels", tag: "dags", summary: "Every label in the catalog",
                description: "Lower-cased, unique, sorted; a `key=value` label contributes both `key=value` and `key`.",
                parameters: listCommon,
                responses: [("200", OAS.json("LabelsResponse", "The labels."))])]),
            ("/dags/tags", ["get": OAS.operation(
                "listDAGTags", tag: "dags", summary: "Every label in the catalog (deprecated name)",
                parameters: listCommon,
                responses: [("200", OAS.json("TagsResponse", "The labels, as `tags`."))])]),
            ("/dags/{fileName}", [
                "get": OAS.operation(
                    "getDAGDetails", tag: "dags", summary: "A DAG file: definition, latest run, spec",
                    parameters: [fileName] + common,
                    responses: [("200", OAS.json("DAGDetailsResponse", "The DAG."))], errors: [404]),
                "delete": OAS.operation(
                    "deleteDAG", tag: "dags", summary: "Delete a DAG file and its suspend flag",
                    description: "Run history and running runs are untouched.",
                    parameters: [fileName] + common,
                    responses: [("204", OAS.empty("Deleted. No body."))], errors: [404]),
            ]),
            ("/dags/{fileName}/spec", [
                "get": OAS.operation(
                    "getDAGSpec", tag: "dags", summary: "The YAML of a DAG file",
                    parameters: [fileName] + common,
                    responses: [("200", OAS.json("DAGSpecResponse", "The spec and its validation."))], errors: [404]),
                "put": OAS.operation(
                    "updateDAGSpec", tag: "dags", summary: "Replace the YAML of a DAG file",
                    description: "Invalid YAML is reported with 200 and `errors`, and the file is not changed.",
                    parameters: [fileName] + common,
                    body: OAS.body("UpdateDAGSpecRequest", required: true, "The new YAML."),
                    responses: [("200", OAS.json("UpdateDAGSpecResponse", "`errors: []` when saved."))], errors: [404]),
            ]),
            ("/dags/{fileName}/start", ["post": OAS.operation(
                "executeDAG", tag: "dags", summary: "Start a run now",
                description: """
                    The run starts directly (not limited by its queue); the response is sent once it has left \
                    `not_started`. Trigger type `manual`.
                    """,
                parameters: [fileName] + common,
                body: OAS.body("StartDAGRequest", required: false, "Params, run ID, labels, singleton."),
                responses: [("200", OAS.json("DAGRunIdResponse", "Started."))], errors: [404, 409])]),
            ("/dags/{fileName}/start-sync", ["post": OAS.operation(
                "executeDAGSync", tag: "dags", summary: "Start a run and wait for it to finish",
                parameters: [fileName] + common,
                body: OAS.body("StartSyncDAGRequest", required: true, "The start fields plus `timeout`."),
                responses: [
                    ("200", OAS.json("StartSyncResponse", "The finished run.")),
                    ("408", OAS.json("StartSyncTimeoutError", "The wait expired; the run goes on in the background.")),
                ], errors: [404, 409])]),
            ("/dags/{fileName}/enqueue", ["post": OAS.operation(
                "enqueueDAGDAGRun", tag: "dags", summary: "Queue a run",
                description: "The run is persisted as `queued` before the response; the scheduler dispatches it.",
                parameters: [fileName] + common,
                body: OAS.body("EnqueueDAGRequest", required: false, "The start fields plus `queue`."),
                responses: [("200", OAS.json("DAGRunIdResponse", "Queued."))], errors: [404, 409])]),
            ("/dags/{fileName}/suspend", ["post": OAS.operation(
                "updateDAGSuspensionState", tag: "dags", summary: "Set or clear the suspend flag",
                parameters: [fileName] + common,
                body: OAS.body("SuspendDAGRequest", required: true, "The new state."),
                responses: [("200", OAS.empty("Done. Empty body."))], errors: [404])]),
            ("/dags/{fileName}/rename", ["post": OAS.operation(
                "renameDAG", tag: "dags", summary: "Rename a DAG file",
                description: "Moves the suspend flag; run history stays under the DAG name it was recorded with.",
                parameters: [fileName] + common,
                body: OAS.body("RenameDAGRequest", required: true, "The new file name."),
                responses: [("200", OAS.empty("Renamed. Empty body."))], errors: [404, 409])]),
            ("/dags/{fileName}/stop-all", ["post": OAS.operation(
                "stopAllDAGRuns", tag: "dags", summary: "Stop every running run of a DAG",
                description: "Queued runs stay queued.",
                parameters: [fileName] + common,
                responses: [("200", OAS.json("StopAllResponse", "Stops delivered."))], errors: [404])]),
            ("/dags/{fileName}/dag-runs", ["get": OAS.operation(
                "getDAGDAGRunHistory", tag: "dags", summary: "The latest runs of a DAG with a status grid",
                parameters: [fileName] + common,
                responses: [("200", OAS.json("DAGRunHistoryResponse", "Newest first, at most 30."))], errors: [404])]),
            ("/dags/{fileName}/dag-runs/{dagRunId}", ["get": OAS.operation(
                "getDAGDAGRunDetails", tag: "dags", summary: "One run of a DAG (`latest` allowed)",
                parameters: [fileName, OAS.parameterRef("dagRunId")] + common,
                responses: [("200", OAS.json("DAGRunResponse", "The run, under `dagRun`."))], errors: [404])]),
        ]
    }
}
