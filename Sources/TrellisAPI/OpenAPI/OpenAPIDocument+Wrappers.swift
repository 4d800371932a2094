import TrellisCore

/// The response bodies (wrappers around the §9 schemas) and request bodies of API §3–§8.
extension OpenAPIDocument {
    static var wrapperSchemas: [(String, JSONValue)] {
        let strings = OAS.strings()
        let matches = OAS.array(OAS.ref("SearchMatchItem"))
        let nextCursor = OAS.string("Present only when more items exist.")
        return [
            ("HealthResponse", OAS.object([
                "status": OAS.string(values: ["healthy"]),
                "version": OAS.string("`dev` when unset."),
                "uptime": OAS.integer("Seconds since server start."),
                "timestamp": OAS.dateTime("Now."),
            ], required: ["status", "version", "uptime", "timestamp"])),
            ("DAGListResponse", OAS.object([
                "dags": OAS.array(OAS.ref("DAGFile")),
                "errors": OAS.strings("Problems reading the directory; per-DAG errors are in each item."),
                "pagination": OAS.ref("Pagination"),
            ], required: ["dags", "errors", "pagination"])),
            ("CreateDAGResponse", OAS.object(["name": OAS.string()], required: ["name"])),
            ("ValidateDAGResponse", OAS.object([
                "valid": OAS.boolean(), "errors": strings, "warnings": strings,
                "dag": OAS.described(OAS.ref("DAGDetails"), "Best effort."),
            ], required: ["valid", "errors", "warnings"])),
            ("DAGDetailsResponse", OAS.object([
                "filePath": OAS.string("The absolute path."),
                "dag": OAS.described(OAS.ref("DAGDetails"), "With nextRun; absent when the file does not parse."),
                "localDags": OAS.array(OAS.map(), "Always `[]` (local DAGs are [later])."),
                "latestDAGRun": OAS.described(OAS.ref("DAGRunDetails"),
                                              "Synthetic (`dagRunId` \"\", status 0, one not_started node per step) when never run."),
                "suspended": OAS.boolean(),
                "errors": OAS.strings("Build errors."),
                "spec": OAS.string("The raw YAML."),
            ], required: ["filePath", "localDags", "latestDAGRun", "suspended", "errors", "spec"])),
            ("DAGSpecResponse", OAS.object([
                "spec": OAS.string("The YAML, verbatim."), "errors": strings, "warnings": strings, "dag": OAS.ref("DAGDetails"),
            ], required: ["spec", "errors", "warnings"])),
            ("UpdateDAGSpecResponse", OAS.object(["errors": OAS.strings("`[]` when saved; the validation errors (file unchanged) otherwise.")],
                                                 required: ["errors"])),
            ("DAGRunIdResponse", OAS.object(["dagRunId": OAS.string()], required: ["dagRunId"])),
            ("StartSyncResponse", OAS.object(["dagRun": OAS.ref("DAGRunDetails")], required: ["dagRun"])),
            ("StartSyncTimeoutError", OAS.object([
                "code": OAS.string(values: ["timeout"]),
                "message": OAS.string(),
                "details": OAS.object(["dagRunId": OAS.string()], required: ["dagRunId"]),
                "dagRunId": OAS.string("Kept at the top level for Dagu clients."),
            ], required: ["code", "message", "details", "dagRunId"], "The error object of a start-sync timeout (§4.9).")),
            ("StopAllResponse", OAS.object(["errors": OAS.strings("One entry per run that could not be stopped.")], required: ["errors"])),
            ("DAGGridItem", OAS.object([
                "name": OAS.string("Step or handler node name."),
                "history": OAS.integers("Node status per run, in the order of `dagRuns`; 0 where the step did not exist."),
            ], required: ["name", "history"])),
            ("DAGRunHistoryResponse", OAS.object([
                "dagRuns": OAS.array(OAS.ref("DAGRunDetails"), "Newest first, at most 30."),
                "gridData": OAS.array(OAS.ref("DAGGridItem"), "In step order, handlers last."),
            ], required: ["dagRuns", "gridData"])),
            ("DAGRunResponse", OAS.object(["dagRun": OAS.ref("DAGRunDetails")], required: ["dagRun"])),
            ("LabelsResponse", OAS.object(["labels": strings, "errors": strings], required: ["labels", "errors"])),
            ("TagsResponse", OAS.object(["tags": strings, "errors": strings], required: ["tags", "errors"])),
            ("SearchResultItem", OAS.object([
                "name": OAS.string("The file name."), "dag": OAS.ref("DAG"), "matches": matches,
            ], required: ["name", "dag", "matches"])),
            ("DAGSearchResponse", OAS.object(["results": OAS.array(OAS.ref("SearchResultItem")), "errors": strings],
                                             required: ["results", "errors"])),
            ("DAGSearchPageItem", OAS.object([
                "fileName": OAS.string(), "name": OAS.string("= fileName."), "hasMoreMatches": OAS.boolean(),
                "nextMatchesCursor": OAS.string(), "matches": OAS.described(matches, "The first match."),
            ], required: ["fileName", "name", "hasMoreMatches", "matches"])),
            ("DAGSearchPageResponse", OAS.object([
                "results": OAS.array(OAS.ref("DAGSearchPageItem")), "hasMore": OAS.boolean(), "nextCursor": nextCursor,
            ], required: ["results", "hasMore"])),
            ("SearchMatchesResponse", OAS.object([
                "matches": matches, "hasMore": OAS.boolean(), "nextCursor": nextCursor,
            ], required: ["matches", "hasMore"])),
            ("DocSearchPageItem", OAS.object([
                "id": OAS.string("The path relative to docs_dir without `.md`."), "title": OAS.string(),
                "description": OAS.string("May be \"\"."), "hasMoreMatches": OAS.boolean(), "nextMatchesCursor": OAS.string(),
                "matches": OAS.described(matches, "The first match."),
            ], required: ["id", "title", "description", "hasMoreMatches", "matches"])),
            ("DocSearchPageResponse", OAS.object([
                "results": OAS.array(OAS.ref("DocSearchPageItem")), "hasMore": OAS.boolean(), "nextCursor": nextCursor,
            ], required: ["results", "hasMore"])),
            ("DAGRunListResponse", OAS.object(["dagRuns": OAS.array(OAS.ref("DAGRunSummary")), "nextCursor": nextCursor],
                                              required: ["dagRuns"])),
            ("DAGRunDetailsResponse", OAS.object(["dagRunDetails": OAS.ref("DAGRunDetails")], required: ["dagRunDetails"])),
            ("OutputsResponse", OAS.object([
                "metadata": OAS.object([
                    "dagName": OAS.string(), "dagRunId": OAS.string(), "attemptId": OAS.string(),
                    "status": OAS.string("The run status label."),
                    "completedAt": OAS.runTime("The run's finishedAt; \"\" while active."),
                    "params": OAS.string(),
                ], required: ["dagName", "dagRunId", "attemptId", "status", "completedAt"]),
                "outputs": OAS.map(OAS.string(), "Output variables by key; `{}` when nothing was captured."),
            ], required: ["metadata", "outputs"])),
            ("SubDAGRunsResponse", OAS.object(["subRuns": OAS.array(OAS.ref("SubDAGRunDetail"))], required: ["subRuns"])),
            ("QueueSummary", OAS.object([
                "totalQueues": OAS.integer(), "totalRunning": OAS.integer(), "totalQueued": OAS.integer(),
                "totalCapacity": OAS.integer("Sum of maxConcurrency."),
                "utilizationPercentage": OAS.number("running ÷ capacity × 100; 0 when capacity is 0."),
            ], required: ["totalQueues", "totalRunning", "totalQueued", "totalCapacity", "utilizationPercentage"])),
            ("QueueListResponse", OAS.object([
                "queues": OAS.array(OAS.ref("Queue"), "Sorted by name."), "summary": OAS.ref("QueueSummary"),
            ], required: ["queues", "summary"])),
            ("QueueItemsResponse", OAS.object([
                "items": OAS.array(OAS.ref("DAGRunSummary")),
                "nextCursor": nextCursor,
                "pagination": OAS.described(OAS.ref("Pagination"), "Only with the older `page`/`perPage` parameters."),
            ], required: ["items"])),
            ("EventLogResponse", OAS.object([
                "entries": OAS.array(OAS.ref("EventLogEntry"), "Newest first."),
                "total": OAS.integer("Offset mode: the number of matches."),
                "nextCursor": OAS.string("Cursor mode, when more entries exist."),
            ], required: ["entries"])),
        ]
    }

    // MARK: - Request bodies

    static var requestSchemas: [(String, JSONValue)] {
        let name = OAS.string(pattern: dagNamePattern, minLength: 1, maxLength: 40)
        let spec = OAS.string("DAG YAML.")
        return [
            ("CreateDAGRequest", OAS.object([
                "name": OAS.described(name, "The new file name; not `search`, `labels`, `tags` or `validate`."),
                "spec": OAS.nullable(OAS.string("YAML, saved verbatim; blank → a one-step `echo hello` DAG.")),
            ], required: ["name"])),
            ("ValidateDAGRequest", OAS.object([
                "spec": spec,
                "name": OAS.nullable(OAS.string("Used when the spec has no name (default `validated-dag`).")),
            ], required: ["spec"])),
            ("UpdateDAGSpecRequest", OAS.object(["spec": spec], required: ["spec"])),
            ("StartDAGRequest", OAS.object(JSONObject(startFields), "All fields optional; `null` means absent.")),
            ("StartSyncDAGRequest", OAS.object(JSONObject(startFields + [
                ("timeout", OAS.integer("Seconds to wait.", minimum: 1, maximum: 86400)),
            ]), required: ["timeout"])),
            ("EnqueueDAGRequest", OAS.object(JSONObject(startFields + [queueField]))),
            ("SuspendDAGRequest", OAS.object(["suspend": OAS.boolean()], required: ["suspend"])),
            ("RenameDAGRequest", OAS.object(["newFileName": OAS.described(name, "Not `search`, `labels`, `tags` or `validate`.")],
                                            required: ["newFileName"])),
            ("InlineRunRequest", OAS.object(JSONObject(inlineFields), required: ["spec"])),
            ("InlineEnqueueRequest", OAS.object(JSONObject(inlineFields + [queueField]), required: ["spec"])),
            ("RetryDAGRunRequest", OAS.object([
                "dagRunId": OAS.nullable(OAS.string("If non-empty, must equal the path's run ID.")),
                "stepName": OAS.nullable(OAS.string("Re-run only this step.")),
            ])),
            ("StepStatusRequest", OAS.object(["status": OAS.integer("A node status (format §11).", minimum: 0, maximum: 9)],
                                             required: ["status"])),
        ]
    }

    /// The optional fields of a start body (§4.8).
    static var startFields: [(String, JSONValue)] {
        [
            ("params", OAS.nullable(OAS.any(
                "`KEY=value KEY2=\"v 2\" positional`, or a JSON object/array as a string (a JSON value is accepted too)."))),
            ("dagRunId", OAS.nullable(OAS.string("Empty → a new UUID v7.", pattern: "^[-a-zA-Z0-9_]{0,64}$"))),
            ("dagName", OAS.nullable(OAS.string("Record the run under this DAG name (trimmed)."))),
            ("singleton", OAS.nullable(OAS.boolean("409 when a run of the DAG is active."))),
            ("labels", OAS.nullable(OAS.array(OAS.string(minLength: 1), "Added to the DAG's labels for this run."))),
            ("tags", OAS.nullable(OAS.array(OAS.string(minLength: 1), "Deprecated alias of `labels`; both set → 400."))),
        ]
    }

    /// A run started from inline YAML (§6.2): the spec, its name, and the start fields except
    /// `dagName`.
    static var inlineFields: [(String, JSONValue)] {
        [
            ("spec", OAS.string("DAG YAML; stored with the run, not saved in dags_dir. Blank → 400.", pattern: #"\S"#, minLength: 1)),
            ("name", OAS.nullable(OAS.string("The DAG name; else the spec's `name:`, else 400."))),
        ] + startFields.filter { $0.0 != "dagName" }
    }

    static var queueField: (String, JSONValue) {
        ("queue", OAS.nullable(OAS.string("A declared global queue or the DAG's own queue; anything else → 400.")))
    }
}
