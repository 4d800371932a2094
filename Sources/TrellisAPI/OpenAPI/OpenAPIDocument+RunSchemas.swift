import TrellisCore

/// The run schemas of API §9.5–§9.7 and the queue and event types of §7 and §8.
extension OpenAPIDocument {
    static var runSchemas: [(String, JSONValue)] {
        [
            ("DAGRunSummary", OAS.object(JSONObject(summaryProperties), required: summaryRequired,
                                         "A run in lists (§9.5).")),
            ("DAGRunDetails", OAS.object(JSONObject(summaryProperties + detailProperties),
                                         required: summaryRequired + detailRequired,
                                         "A run in full (§9.6): the summary fields plus these.")),
            ("Node", node),
            ("SubDAGRun", OAS.object([
                "dagRunId": OAS.string(),
                "dagName": OAS.string(),
                "name": OAS.string("= dagName."),
                "params": OAS.string(),
                "status": OAS.integer("Run status (format §11)."),
                "statusLabel": OAS.string(),
            ], required: ["dagRunId", "dagName", "name", "status", "statusLabel"], "A sub-DAG run started by a node (§9.7).")),
            ("SubDAGRunDetail", OAS.object([
                "dagRunId": OAS.string(),
                "dagName": OAS.string(),
                "params": OAS.string(),
                "status": OAS.integer("Run status (format §11)."),
                "statusLabel": OAS.string(),
                "startedAt": OAS.runTime("Start."),
                "finishedAt": OAS.runTime("End."),
            ], required: ["dagRunId", "dagName", "status", "statusLabel", "startedAt", "finishedAt"],
            "A child run of `GET …/sub-dag-runs` (§6.13).")),
            ("Queue", queue),
            ("EventLogEntry", eventLogEntry),
        ]
    }

    static let summaryRequired = [
        "dagRunId", "name", "status", "statusLabel", "startedAt", "finishedAt", "labels", "tags", "artifactsAvailable",
        "autoRetryCount", "autoRetryLimit",
    ]

    static var summaryProperties: [(String, JSONValue)] {
        [
            ("dagRunId", OAS.string("The run ID; \"\" in a synthetic never-run summary.")),
            ("name", OAS.string("The DAG name.")),
            ("status", OAS.integer("Run status (format §11): 0 not_started, 1 running, 2 failed, 3 aborted, 4 succeeded, 5 queued, 6 partially_succeeded, 7 waiting, 8 rejected.")),
            ("statusLabel", OAS.string("The label of `status`.")),
            ("queuedAt", OAS.optionalRunTime("When the run was queued.")),
            ("scheduleTime", OAS.optionalRunTime("The scheduled time of a scheduler run.")),
            ("startedAt", OAS.runTime("Start of the latest attempt.")),
            ("finishedAt", OAS.runTime("End of the latest attempt.")),
            ("params", OAS.string("Space-joined `KEY=value`; omitted when empty.")),
            ("triggerType", OAS.string("`scheduler`, `manual`, `webhook`, `subdag`, `retry`, `catchup`; omitted when unknown.")),
            ("labels", OAS.strings()),
            ("tags", OAS.strings("Deprecated copy of `labels`.")),
            ("artifactsAvailable", OAS.boolean("Always false (artifacts are [later]).")),
            ("autoRetryCount", OAS.integer("Always 0 (format §13.2).")),
            ("autoRetryLimit", OAS.nullable(OAS.integer("Always null (format §13.2)."))),
        ]
    }

    static let detailRequired = ["rootDAGRunName", "rootDAGRunId", "log", "nodes", "preconditions"]

    static var detailProperties: [(String, JSONValue)] {
        [
            ("rootDAGRunName", OAS.string("Own name for a root run; \"\" in synthetic details.")),
            ("rootDAGRunId", OAS.string("Own ID for a root run; \"\" in synthetic details.")),
            ("parentDAGRunName", OAS.string("Sub-DAG runs only.")),
            ("parentDAGRunId", OAS.string("Sub-DAG runs only.")),
            ("log", OAS.string("Absolute path of the run log; \"\" if none.")),
            ("nodes", OAS.array(OAS.ref("Node"), "Every step, in file order, from the moment the run exists.")),
            ("onInit", OAS.ref("Node")),
            ("onSuccess", OAS.ref("Node")),
            ("onFailure", OAS.ref("Node")),
            ("onAbort", OAS.ref("Node")),
            ("onExit", OAS.ref("Node")),
            ("preconditions", OAS.array(OAS.ref("Condition"), "As evaluated.")),
            ("error", OAS.string("Run-level error (Trellis addition).")),
            ("specFromFile", OAS.boolean("Only present (true) when started from a DAG file.")),
            ("sourceFileName", OAS.string("The DAG file name, if the file still exists.")),
        ]
    }

    static let nodeRequired = [
        "step", "stdout", "stderr", "startedAt", "finishedAt", "status", "statusLabel", "retryCount", "doneCount",
        "subRuns", "subRunsRepeated",
    ]

    static var node: JSONValue {
        OAS.object([
            "step": OAS.ref("Step"),
            "stdout": OAS.string("Absolute log path; \"\" before the step runs."),
            "stderr": OAS.string("Absolute log path; \"\" before the step runs."),
            "startedAt": OAS.runTime("Start."),
            "finishedAt": OAS.runTime("End."),
            "status": OAS.integer("Node status (format §11): 0 not_started, 1 running, 2 failed, 3 aborted, 4 succeeded, 5 skipped, 6 partially_succeeded, 7 waiting, 8 rejected, 9 retrying."),
            "statusLabel": OAS.string("The label of `status`."),
            "retryCount": OAS.integer(),
            "doneCount": OAS.integer(),
            "subRuns": OAS.array(OAS.ref("SubDAGRun")),
            "subRunsRepeated": OAS.array(OAS.ref("SubDAGRun")),
            "error": OAS.string(),
            "retriedAt": OAS.optionalRunTime("The last retry."),
            "exitCode": OAS.integer("Trellis addition: the last exit code, once a process or request ended (124 for a step timeout)."),
        ], required: nodeRequired, "A step's state in a run (§9.7).")
    }

    static var queue: JSONValue {
        OAS.object([
            "name": OAS.string(),
            "type": OAS.string(values: ["global", "dag-based"]),
            "maxConcurrency": OAS.integer(),
            "runningCount": OAS.integer(),
            "queuedCount": OAS.integer("Queued runs not yet running."),
            "running": OAS.array(OAS.ref("DAGRunSummary")),
        ], required: ["name", "type", "maxConcurrency", "runningCount", "queuedCount", "running"], "A queue (§7.1).")
    }

    static var eventLogEntry: JSONValue {
        OAS.object([
            "id": OAS.string("`dag_` + hex SHA-256 of `type|dagName|dagRunId|attemptId`; `dag_update_<hex>` for `dag.run.updated`."),
            "schemaVersion": OAS.integer("1."),
            "occurredAt": OAS.dateTime("When the transition happened."),
            "recordedAt": OAS.dateTime("When it was written (UTC)."),
            "kind": OAS.string(values: ["dag_run"]),
            "type": OAS.string("The event type (§8.2).", values: eventTypes),
            "sourceService": OAS.string(values: ["server", "scheduler", "cli"]),
            "sourceInstance": OAS.string("`<hostname>:<pid>`."),
            "dagName": OAS.string(),
            "dagRunId": OAS.string(),
            "attemptId": OAS.string(),
            "status": OAS.string("The run status label."),
            "data": OAS.map(nil, "`{dag_run_status: {…}}` (snake_case inside, §8.2)."),
        ], required: ["id", "schemaVersion", "occurredAt", "recordedAt", "kind", "type", "sourceService"],
        "An event log entry (§8.2).")
    }

    static let eventTypes = [
        "dag.run.queued", "dag.run.running", "dag.run.succeeded", "dag.run.failed", "dag.run.aborted", "dag.run.updated",
        "dag.run.waiting", "dag.run.rejected",
    ]
}
