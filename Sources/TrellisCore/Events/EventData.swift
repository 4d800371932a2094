import Foundation

/// The `data` object of `dag_run` events (API §8.2), snake_case inside.
public enum EventData {
    public static func dagRunStatus(_ snapshot: RunSnapshot) -> JSONValue {
        var status: [(String, JSONValue)] = [("root", ref(snapshot.root))]
        if let parent = snapshot.parent { status.append(("parent", ref(parent))) }
        status += [
            ("name", .string(snapshot.run.name)), ("dag_run_id", .string(snapshot.run.id)),
            ("attempt_id", .string(snapshot.attemptId)), ("proc_group", .string(snapshot.queue)),
            ("status", .integer(snapshot.status.rawValue)),
        ]
        if let error = snapshot.error, !error.isEmpty { status.append(("error", .string(error))) }
        if !snapshot.log.isEmpty { status.append(("log", .string(snapshot.log))) }
        if let time = snapshot.queuedAt { status.append(("queued_at", .string(Timestamps.rfc3339(time)))) }
        if let time = snapshot.startedAt { status.append(("started_at", .string(Timestamps.rfc3339(time)))) }
        if let time = snapshot.finishedAt { status.append(("finished_at", .string(Timestamps.rfc3339(time)))) }
        status.append(("nodes", .array(snapshot.nodes.map(node))))
        if let handler = snapshot.handlers["onFailure"] { status.append(("on_failure", node(handler))) }
        if let handler = snapshot.handlers["onExit"] { status.append(("on_exit", node(handler))) }
        return .object(JSONObject([("dag_run_status", .object(JSONObject(status)))]))
    }

    private static func ref(_ run: RunRef) -> JSONValue {
        .object(JSONObject([("name", .string(run.name)), ("dag_run_id", .string(run.id))]))
    }

    private static func node(_ record: NodeRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [("step_name", .string(record.name)), ("status", .integer(record.status.rawValue))]
        if let error = record.error, !error.isEmpty { fields.append(("error", .string(error))) }
        return .object(JSONObject(fields))
    }
}
