import TrellisCore

/// The step control objects of ``StepDTO``: `continueOn`, `retryPolicy`, `repeatPolicy`.
public enum StepPolicyDTO {
    /// `{skipped, failed, exitCode: int[], output: string[], markSuccess}`, or `nil` when nothing
    /// is set (the key is omitted).
    public static func continueOn(_ value: ContinueOn) -> JSONValue? {
        guard !value.isEmpty else { return nil }
        return [
            "skipped": .bool(value.skipped),
            "failed": .bool(value.failed),
            "exitCode": DTOValue.integers(value.exitCodes),
            "output": DTOValue.strings(value.output),
            "markSuccess": .bool(value.markSuccess),
        ]
    }

    /// `{limit, intervalSec, exitCode: int[], backoff?, maxIntervalSec?}`; `limit` and
    /// `intervalSec` are integers, or the expression text when evaluated at run time.
    public static func retryPolicy(_ policy: RetryPolicy) -> JSONValue {
        var object: JSONObject = [
            "limit": DTOValue.intOrExpression(policy.limit),
            "intervalSec": DTOValue.intOrExpression(policy.intervalSec),
            "exitCode": DTOValue.integers(policy.exitCodes),
        ]
        object["backoff"] = policy.backoff.map(DTOValue.number)
        object["maxIntervalSec"] = policy.maxIntervalSec.map(JSONValue.integer)
        return .object(object)
    }

    /// `RepeatPolicy {repeat, interval?, limit?, backoff?, maxIntervalSec?, condition?,
    /// exitCode: int[]}`; `backoff` is the multiplier (`true` was read as 2).
    public static func repeatPolicy(_ policy: RepeatPolicy) -> JSONValue {
        var object: JSONObject = ["repeat": .string(policy.mode.rawValue)]
        object["interval"] = DTOValue.positive(policy.intervalSec)
        object["limit"] = policy.limit.map(JSONValue.integer)
        object["backoff"] = policy.backoff.map(DTOValue.number)
        object["maxIntervalSec"] = policy.maxIntervalSec.map(JSONValue.integer)
        object["condition"] = policy.condition.map(ConditionDTO.render)
        object["exitCode"] = DTOValue.integers(policy.exitCodes)
        return .object(object)
    }
}
