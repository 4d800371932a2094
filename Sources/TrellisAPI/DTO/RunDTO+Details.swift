import Foundation
import TrellisCore

extension RunDTO {
    /// The handler node keys of run details, in the order handlers can run.
    public static let handlerKeys = ["onInit", "onSuccess", "onFailure", "onAbort", "onExit"]

    /// `DAGRunDetails` (API §9.6) = `DAGRunSummary` + `rootDAGRunName`, `rootDAGRunId`,
    /// `parentDAGRunName?`, `parentDAGRunId?`, `log`, `nodes` (every step, in file order),
    /// `onInit?` … `onExit?`, `preconditions`, `error?`, `specFromFile?: true`,
    /// `sourceFileName?`.
    ///
    /// - Parameters:
    ///   - dag: the DAG the run was built from (its stored spec), to attach each node's `step`;
    ///     a node whose step is not in it (or with no DAG) gets a `Step` with only its name.
    ///   - specFromFile: the run was started from a DAG file, not an inline spec.
    ///   - sourceFileName: the file name, when that file still exists.
    public static func details(_ snapshot: RunSnapshot, dag: DAG?, zone: TimeZone, specFromFile: Bool = false,
                               sourceFileName: String? = nil) -> JSONValue {
        var object = summaryObject(snapshot, zone: zone)
        object["rootDAGRunName"] = .string(snapshot.root.name)
        object["rootDAGRunId"] = .string(snapshot.root.id)
        object["parentDAGRunName"] = snapshot.parent.map { .string($0.name) }
        object["parentDAGRunId"] = snapshot.parent.map { .string($0.id) }
        object["log"] = .string(snapshot.log)
        let steps = Dictionary(dag?.steps.map { ($0.name, $0) } ?? [], uniquingKeysWith: { first, _ in first })
        object["nodes"] = .array(snapshot.nodes.map { NodeDTO.render($0, step: steps[$0.name], zone: zone) })
        for key in handlerKeys {
            guard let record = snapshot.handlers[key] else { continue }
            object[key] = NodeDTO.render(record, step: dag.flatMap { handlerStep(key, in: $0.handlerOn) }, zone: zone)
        }
        object["preconditions"] = .array(snapshot.preconditions.map(ConditionDTO.render))
        object["error"] = DTOValue.text(snapshot.error)
        object["specFromFile"] = DTOValue.flag(specFromFile)
        object["sourceFileName"] = DTOValue.text(sourceFileName)
        return .object(object)
    }

    /// The handler step shown as node `key` (`onExit` → `handlerOn.exit`).
    public static func handlerStep(_ key: String, in handlers: HandlerOn) -> Step? {
        switch key {
        case "onInit": handlers.initialize
        case "onSuccess": handlers.success
        case "onFailure": handlers.failure
        case "onAbort": handlers.abort
        case "onExit": handlers.exit
        default: nil
        }
    }
}
