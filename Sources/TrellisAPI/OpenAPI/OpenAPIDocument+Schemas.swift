import TrellisCore

/// The DAG schemas of API §9.1–§9.4 and the small types of §9.8 and §1.5.
extension OpenAPIDocument {
    /// The error codes of API §1.5, complete (Dagu's list).
    static let errorCodes = [
        "bad_request", "not_found", "already_exists", "not_running", "timeout", "internal_error", "unauthorized",
        "forbidden", "max_run_reached", "bad_gateway", "remote_node_error", "auth.unauthorized", "auth.token_invalid",
        "auth.forbidden",
    ]

    static var sharedSchemas: [(String, JSONValue)] {
        [
            ("Error", error),
            ("DAG", dag),
            ("Schedule", schedule),
            ("DAGFile", dagFile),
            ("DAGDetails", dagDetails),
            ("ParamDef", paramDef),
            ("Step", step),
            ("CommandEntry", OAS.object(["command": OAS.string("The program."), "args": OAS.strings("Its arguments.")],
                                        required: ["command", "args"], "One command split into program and arguments (§9.4).")),
            ("Condition", condition),
            ("RepeatPolicy", repeatPolicy),
            ("Pagination", pagination),
            ("Log", log),
            ("SearchMatchItem", OAS.object([
                "line": OAS.string("The snippet: the matching line with up to 2 lines of context each side, joined by \"\\n\"."),
                "lineNumber": OAS.integer("1-based line of the match."),
                "startLine": OAS.integer("1-based first line of the snippet."),
            ], required: ["line", "lineNumber", "startLine"], "A search match (§9.8).")),
        ]
    }

    static var error: JSONValue {
        OAS.object([
            "code": OAS.string("The error code (§1.5).", values: errorCodes),
            "message": OAS.string("Always present, may be empty."),
            "details": OAS.map(nil, "Extra details (`requestId` on 5xx, `dagRunId` on a start-sync timeout)."),
        ], required: ["code", "message"], "The error object of every error response except the 401 challenge (§1.5).")
    }

    static var schedule: JSONValue {
        OAS.object([
            "kind": OAS.string(values: ["cron", "at"]),
            "expression": OAS.string("The cron expression as written, including a `CRON_TZ=` prefix (cron entries)."),
            "at": OAS.dateTime("The instant of a one-off entry (`at` entries)."),
        ], required: ["kind"], "A start schedule entry (§9.1).")
    }

    static var dag: JSONValue {
        OAS.object([
            "name": OAS.string(),
            "group": OAS.string(),
            "description": OAS.string(),
            "params": OAS.strings("Params with their defaults, `KEY=value` (positional ones as `value`)."),
            "defaultParams": OAS.string("The defaults as one string, `KEY=\"value\"` separated by spaces."),
            "labels": OAS.strings("`key` or `key=value`."),
            "tags": OAS.strings("Deprecated copy of `labels`."),
            "schedule": OAS.array(OAS.ref("Schedule"), "Start schedules only."),
            "queue": OAS.string(),
            "maxActiveRuns": OAS.integer("Omitted when 0."),
        ], required: ["name", "params", "labels", "tags", "schedule"], "A DAG in lists and search results (§9.1).")
    }

    static var dagFile: JSONValue {
        OAS.object([
            "fileName": OAS.string("The file stem."),
            "filePath": OAS.string("The absolute path."),
            "dag": OAS.described(OAS.ref("DAG"), "At least `name` (and the arrays) for a file with errors."),
            "latestDAGRun": OAS.described(OAS.ref("DAGRunSummary"),
                                          "A synthetic `not_started` summary (`dagRunId` \"\", \"\" times) when never run."),
            "nextRun": OAS.dateTime("The next scheduled start (format §15.5); omitted when none."),
            "suspended": OAS.boolean(),
            "errors": OAS.strings("Problems reading or building the DAG."),
        ], required: ["fileName", "filePath", "dag", "latestDAGRun", "suspended", "errors"],
        "An entry of `GET /dags` (§9.2).")
    }

    static var dagDetails: JSONValue {
        OAS.object([
            "name": OAS.string(),
            "description": OAS.string(),
            "group": OAS.string(),
            "type": OAS.string("Trellis addition.", values: ["chain", "graph"]),
            "nextRun": OAS.dateTime("The next scheduled start; omitted when none."),
            "schedule": OAS.array(OAS.ref("Schedule"), "Start schedules only."),
            "env": OAS.strings("`KEY=value` as written, unevaluated."),
            "logDir": OAS.string(),
            "handlerOn": OAS.object([
                "init": OAS.ref("Step"), "success": OAS.ref("Step"), "failure": OAS.ref("Step"),
                "abort": OAS.ref("Step"), "exit": OAS.ref("Step"),
            ], "The handlers that are set."),
            "steps": OAS.array(OAS.ref("Step")),
            "delay": OAS.integer("Seconds; omitted when 0."),
            "timeoutSec": OAS.integer("Trellis addition; omitted when 0."),
            "histRetentionDays": OAS.integer(),
            "histRetentionRuns": OAS.integer("Omitted when 0."),
            "preconditions": OAS.array(OAS.ref("Condition")),
            "maxActiveRuns": OAS.integer(),
            "maxActiveSteps": OAS.integer("Omitted when 0."),
            "queue": OAS.string(),
            "params": OAS.strings("Params with their defaults, `KEY=value`."),
            "paramDefs": OAS.array(OAS.ref("ParamDef")),
            "paramSchema": OAS.map(nil, "The JSON Schema compiled from typed params; omitted when no param is typed."),
            "defaultParams": OAS.string(),
            "labels": OAS.strings(),
            "tags": OAS.strings("Deprecated copy of `labels`."),
            "runConfig": OAS.object(["disableParamEdit": OAS.boolean(), "disableRunIdEdit": OAS.boolean()],
                                    required: ["disableParamEdit", "disableRunIdEdit"]),
        ], required: ["name", "type", "schedule", "env", "handlerOn", "steps", "histRetentionDays", "preconditions",
                      "maxActiveRuns", "params", "paramDefs", "labels", "tags"],
        "A DAG definition in full (§9.3). Numeric optional fields are omitted when 0.")
    }

    static var paramDef: JSONValue {
        let scalar = OAS.anyOf([OAS.string(), OAS.number(), OAS.boolean()])
        return OAS.object([
            "name": OAS.string("Absent for a positional param."),
            "type": OAS.string(values: ["string", "integer", "number", "boolean"]),
            "default": OAS.described(scalar, "The default, coerced to the type."),
            "description": OAS.string(),
            "required": OAS.boolean("Only present (true) when required."),
            "enum": OAS.array(scalar),
            "minimum": OAS.number(),
            "maximum": OAS.number(),
            "minLength": OAS.integer(),
            "maxLength": OAS.integer(),
            "pattern": OAS.string(),
        ], required: ["type"], "A param definition (§9.3, format §4.5).")
    }

    static var step: JSONValue {
        let intOrExpression = OAS.anyOf([OAS.integer(), OAS.string()], "An integer, or the expression as written.")
        return OAS.object([
            "name": OAS.string(),
            "id": OAS.string(),
            "description": OAS.string(),
            "dir": OAS.string("The working directory."),
            "commands": OAS.array(OAS.ref("CommandEntry"), "`[]` for script-only and sub-DAG steps; `{command: METHOD, args: [URL]}` for http."),
            "script": OAS.string(),
            "stdout": OAS.string(),
            "stderr": OAS.string(),
            "output": OAS.string(),
            "call": OAS.string("The sub-DAG called."),
            "params": OAS.string("Sub-DAG params as one string."),
            "parallel": OAS.object([
                "items": OAS.anyOf([OAS.strings(), OAS.string()], "The items, or a `${VAR}` reference."),
                "maxConcurrent": OAS.integer(),
            ], required: ["items", "maxConcurrent"]),
            "depends": OAS.strings(),
            "continueOn": OAS.object([
                "skipped": OAS.boolean(), "failed": OAS.boolean(), "exitCode": OAS.integers(), "output": OAS.strings(),
                "markSuccess": OAS.boolean(),
            ], required: ["skipped", "failed", "exitCode", "output", "markSuccess"], "Trellis addition."),
            "retryPolicy": OAS.object([
                "limit": intOrExpression, "intervalSec": intOrExpression, "exitCode": OAS.integers(),
                "backoff": OAS.number(), "maxIntervalSec": OAS.integer(),
            ], required: ["limit", "intervalSec", "exitCode"], "Trellis addition."),
            "repeatPolicy": OAS.ref("RepeatPolicy"),
            "mailOnError": OAS.boolean("Only present (true) when set."),
            "preconditions": OAS.array(OAS.ref("Condition")),
            "timeoutSec": OAS.integer(),
            "signalOnStop": OAS.string("Trellis addition."),
            "executorConfig": OAS.object(["type": OAS.string(), "config": OAS.map()], required: ["type", "config"],
                                         "Omitted for command steps."),
        ], required: ["name", "commands", "depends", "preconditions"], "A step as returned — not the YAML shape (§9.4).")
    }

    static var condition: JSONValue {
        OAS.object([
            "condition": OAS.string(),
            "expected": OAS.string(),
            "negate": OAS.boolean(),
            "error": OAS.string("Run details only, after evaluation."),
            "matched": OAS.boolean("Run details only, after evaluation."),
        ], required: ["condition"], "A precondition (§9.4).")
    }

    static var repeatPolicy: JSONValue {
        OAS.object([
            "repeat": OAS.string(values: ["while", "until"]),
            "interval": OAS.integer("Seconds."),
            "limit": OAS.integer(),
            "backoff": OAS.anyOf([OAS.boolean(), OAS.number()], "`true` or the multiplier."),
            "maxIntervalSec": OAS.integer(),
            "condition": OAS.ref("Condition"),
            "exitCode": OAS.integers(),
        ], required: ["exitCode"], "A step's repeat policy (§9.4).")
    }

    static var pagination: JSONValue {
        OAS.object([
            "totalRecords": OAS.integer(),
            "currentPage": OAS.integer(),
            "totalPages": OAS.integer("max(1, ceil(total ÷ perPage))."),
            "nextPage": OAS.integer("min(page + 1, totalPages)."),
            "prevPage": OAS.integer("max(page − 1, 1)."),
        ], required: ["totalRecords", "currentPage", "totalPages", "nextPage", "prevPage"], "Page pagination (§9.8).")
    }

    static var log: JSONValue {
        OAS.object([
            "content": OAS.string("The lines joined by \"\\n\", no trailing newline."),
            "lineCount": OAS.integer("Lines returned; omitted when 0."),
            "totalLines": OAS.integer("Lines in the file; omitted when 0."),
            "hasMore": OAS.boolean("Omitted when false."),
            "isEstimate": OAS.boolean("`totalLines` is an estimate (files of 1 MiB and more); omitted when false."),
        ], required: ["content"], "A slice of a log file (§9.8).")
    }
}
