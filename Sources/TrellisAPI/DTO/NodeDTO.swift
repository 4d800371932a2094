import Foundation
import TrellisCore

/// `Node` (API §9.7) and `SubDAGRun`.
public enum NodeDTO {
    /// Always present: `step`, `stdout`, `stderr` (`""` before the step runs), `startedAt`,
    /// `finishedAt` (`""` when unset), `status`, `statusLabel`, `retryCount`, `doneCount`,
    /// `subRuns`, `subRunsRepeated`. Optional: `error`, `retriedAt`, `exitCode`.
    ///
    /// - Parameter step: the node's step; `nil` renders a `Step` with only the node's name
    ///   (plus the always-present empty arrays).
    public static func render(_ record: NodeRecord, step: Step?, zone: TimeZone) -> JSONValue {
        var object: JSONObject = [
            "step": StepDTO.render(step ?? Step(name: record.name)),
            "stdout": .string(record.stdout ?? ""),
            "stderr": .string(record.stderr ?? ""),
            "startedAt": APITime.required(record.startedAt, in: zone),
            "finishedAt": APITime.required(record.finishedAt, in: zone),
            "status": .integer(record.status.rawValue),
            "statusLabel": .string(record.status.label),
            "retryCount": .integer(record.retryCount),
            "doneCount": .integer(record.doneCount),
            "subRuns": .array(record.subRuns.map(subRun)),
            "subRunsRepeated": [],
        ]
        object["error"] = DTOValue.text(record.error)
        object["retriedAt"] = APITime.optional(record.retriedAt, in: zone)
        object["exitCode"] = record.exitCode.map(JSONValue.integer)
        return .object(object)
    }

    /// `SubDAGRun {dagRunId, dagName, name (= dagName), params?, status, statusLabel}`.
    public static func subRun(_ record: SubRunRecord) -> JSONValue {
        var object: JSONObject = [
            "dagRunId": .string(record.dagRunId),
            "dagName": .string(record.dagName),
            "name": .string(record.dagName),
        ]
        object["params"] = DTOValue.text(record.params)
        object["status"] = .integer(record.status.rawValue)
        object["statusLabel"] = .string(record.status.label)
        return .object(object)
    }
}
