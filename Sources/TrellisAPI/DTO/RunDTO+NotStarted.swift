import Foundation
import TrellisCore

extension RunDTO {
    /// The synthetic summary of a DAG that was never run (API §9.2): `dagRunId ""`, status 0
    /// `not_started`, every time `""`, the DAG's labels, its default params.
    public static func notStartedSummary(_ dag: DAG, zone: TimeZone) -> JSONValue {
        .object(notStartedSummaryObject(dag, zone: zone))
    }

    /// The synthetic details of a DAG that was never run (API §4.4): the summary above plus
    /// `rootDAGRunName ""`, `rootDAGRunId ""`, `log ""`, one `not_started` node per step (and
    /// per defined handler), all times `""`, and the DAG's preconditions.
    public static func notStartedDetails(_ dag: DAG, zone: TimeZone) -> JSONValue {
        var object = notStartedSummaryObject(dag, zone: zone)
        object["rootDAGRunName"] = ""
        object["rootDAGRunId"] = ""
        object["log"] = ""
        object["nodes"] = .array(dag.steps.map { NodeDTO.render(NodeRecord(name: $0.name), step: $0, zone: zone) })
        for key in handlerKeys {
            guard let step = handlerStep(key, in: dag.handlerOn) else { continue }
            object[key] = NodeDTO.render(NodeRecord(name: key), step: step, zone: zone)
        }
        object["preconditions"] = .array(dag.preconditions.map(ConditionDTO.render))
        return .object(object)
    }

    private static func notStartedSummaryObject(_ dag: DAG, zone: TimeZone) -> JSONObject {
        summaryFields(
            runId: "", name: dag.name, status: .notStarted, queuedAt: nil, scheduleTime: nil, startedAt: nil,
            finishedAt: nil, params: ParamRendering.apiParams(dag.params).joined(separator: " "),
            triggerType: .unknown, labels: dag.labels.map(\.description), zone: zone)
    }
}
