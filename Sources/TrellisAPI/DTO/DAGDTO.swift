import Foundation
import TrellisCore

/// The DAG schemas: `DAG` (list and search item, API §9.1) and `DAGDetails` (§9.3, in
/// DAGDTO+Details.swift).
public enum DAGDTO {
    /// `DAG {name, group?, description?, params: string[], defaultParams?, labels, tags,
    /// schedule: Schedule[], queue?, maxActiveRuns?}`.
    public static func listItem(_ dag: DAG, zone: TimeZone) -> JSONValue {
        var object: JSONObject = ["name": .string(dag.name)]
        object["group"] = DTOValue.text(dag.group)
        object["description"] = DTOValue.text(dag.description)
        object["params"] = DTOValue.strings(ParamRendering.apiParams(dag.params))
        object["defaultParams"] = DTOValue.text(ParamRendering.defaultParams(dag.params))
        object["labels"] = labels(dag)
        object["tags"] = labels(dag)
        object["schedule"] = .array(ScheduleDTO.render(dag.schedule, zone: zone))
        object["queue"] = DTOValue.text(dag.queue)
        object["maxActiveRuns"] = DTOValue.positive(dag.maxActiveRuns)
        return .object(object)
    }

    /// The list item of a file that does not parse: its name (the file stem) and the
    /// always-present arrays.
    public static func minimalListItem(name: String) -> JSONValue {
        ["name": .string(name), "params": [], "labels": [], "tags": [], "schedule": []]
    }

    /// `labels` (and the deprecated copy `tags`): `key` or `key=value`, in order.
    static func labels(_ dag: DAG) -> JSONValue {
        DTOValue.strings(dag.labels.map(\.description))
    }
}
