import Foundation
import TrellisCore

extension DAGDTO {
    /// `DAGDetails` (API §9.3): `{name, description?, group?, type, nextRun?, schedule, env,
    /// handlerOn, steps, delay?, timeoutSec?, histRetentionDays, preconditions, maxActiveRuns,
    /// maxActiveSteps?, queue?, params, paramDefs, paramSchema?, defaultParams?, labels, tags}`.
    ///
    /// Numeric optional fields are omitted when 0. `logDir`, `histRetentionRuns` and `runConfig`
    /// are never emitted: the model does not carry them (`log_dir`, `hist_retention_runs` and
    /// `run_config` are [later] keys).
    public static func details(_ dag: DAG, nextRun: Date?, zone: TimeZone) -> JSONValue {
        var object: JSONObject = ["name": .string(dag.name)]
        object["description"] = DTOValue.text(dag.description)
        object["group"] = DTOValue.text(dag.group)
        object["type"] = .string(dag.type.rawValue)
        object["nextRun"] = APITime.optional(nextRun, in: zone)
        object["schedule"] = .array(ScheduleDTO.render(dag.schedule, zone: zone))
        object["env"] = DTOValue.strings(dag.env.map(\.description))
        object["handlerOn"] = handlerOn(dag.handlerOn)
        object["steps"] = .array(dag.steps.map(StepDTO.render))
        object["delay"] = DTOValue.positive(dag.delaySec)
        object["timeoutSec"] = DTOValue.positive(dag.timeoutSec)
        object["histRetentionDays"] = .integer(dag.histRetentionDays)
        object["preconditions"] = .array(dag.preconditions.map(ConditionDTO.render))
        object["maxActiveRuns"] = .integer(dag.maxActiveRuns)
        object["maxActiveSteps"] = DTOValue.positive(dag.maxActiveSteps)
        object["queue"] = DTOValue.text(dag.queue)
        object["params"] = DTOValue.strings(ParamRendering.apiParams(dag.params))
        object["paramDefs"] = .array(ParamRendering.apiParamDefs(dag.params))
        object["paramSchema"] = ParamRendering.compiledSchema(dag.params)
        object["defaultParams"] = DTOValue.text(ParamRendering.defaultParams(dag.params))
        object["labels"] = labels(dag)
        object["tags"] = labels(dag)
        return .object(object)
    }

    /// `{init?, success?, failure?, abort?, exit?: Step}`: only the handlers that are set.
    public static func handlerOn(_ handlers: HandlerOn) -> JSONValue {
        var object = JSONObject()
        object["init"] = handlers.initialize.map(StepDTO.render)
        object["success"] = handlers.success.map(StepDTO.render)
        object["failure"] = handlers.failure.map(StepDTO.render)
        object["abort"] = handlers.abort.map(StepDTO.render)
        object["exit"] = handlers.exit.map(StepDTO.render)
        return .object(object)
    }
}
