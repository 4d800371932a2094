import Foundation
import TrellisCore

/// The run schemas: `DAGRunSummary` (API §9.5) here, `DAGRunDetails` (§9.6) in
/// RunDTO+Details.swift, the synthetic never-run forms (§4.4) in RunDTO+NotStarted.swift and
/// `Node` (§9.7) in NodeDTO.swift.
public enum RunDTO {
    /// `DAGRunSummary` of a run's latest snapshot.
    ///
    /// Always present: `dagRunId`, `name`, `status`, `statusLabel`, `startedAt`, `finishedAt`
    /// (`""` when unset), `labels`, `tags`, `artifactsAvailable: false`, `autoRetryCount: 0`,
    /// `autoRetryLimit: null`. Optional: `queuedAt`, `scheduleTime`, `params` (space-joined
    /// `KEY=value`, omitted when empty), `triggerType` (label, omitted when unknown).
    public static func summary(_ snapshot: RunSnapshot, zone: TimeZone) -> JSONValue {
        .object(summaryObject(snapshot, zone: zone))
    }

    /// `DAGRunSummary` of a day-index entry. The run's snapshot, when the caller has it, is the
    /// truth and is rendered instead; without it the entry gives what it records (no
    /// `queuedAt`, `scheduleTime` or `params`).
    public static func summary(_ entry: RunIndexEntry, snapshot: RunSnapshot?, zone: TimeZone) -> JSONValue {
        if let snapshot { return summary(snapshot, zone: zone) }
        return .object(summaryFields(
            runId: entry.runId, name: entry.dag, status: entry.status, queuedAt: nil, scheduleTime: nil,
            startedAt: entry.startedAt, finishedAt: entry.finishedAt, params: "", triggerType: entry.triggerType,
            labels: entry.labels, zone: zone))
    }

    static func summaryObject(_ snapshot: RunSnapshot, zone: TimeZone) -> JSONObject {
        summaryFields(
            runId: snapshot.run.id, name: snapshot.run.name, status: snapshot.status, queuedAt: snapshot.queuedAt,
            scheduleTime: snapshot.scheduleTime, startedAt: snapshot.startedAt, finishedAt: snapshot.finishedAt,
            params: snapshot.params, triggerType: snapshot.triggerType, labels: snapshot.labels, zone: zone)
    }

    static func summaryFields(runId: String, name: String, status: RunStatus, queuedAt: Date?, scheduleTime: Date?,
                              startedAt: Date?, finishedAt: Date?, params: String, triggerType: TriggerType,
                              labels: [String], zone: TimeZone) -> JSONObject {
        var object: JSONObject = [
            "dagRunId": .string(runId),
            "name": .string(name),
            "status": .integer(status.rawValue),
            "statusLabel": .string(status.label),
        ]
        object["queuedAt"] = APITime.optional(queuedAt, in: zone)
        object["scheduleTime"] = APITime.optional(scheduleTime, in: zone)
        object["startedAt"] = APITime.required(startedAt, in: zone)
        object["finishedAt"] = APITime.required(finishedAt, in: zone)
        object["params"] = DTOValue.text(params)
        object["triggerType"] = triggerType == .unknown ? nil : .string(triggerType.label)
        object["labels"] = DTOValue.strings(labels)
        object["tags"] = DTOValue.strings(labels)
        object["artifactsAvailable"] = .bool(false)
        object["autoRetryCount"] = .integer(0)
        object["autoRetryLimit"] = .null
        return object
    }
}
