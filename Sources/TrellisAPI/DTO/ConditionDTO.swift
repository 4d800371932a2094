import TrellisCore

/// `Condition` (API §9.4): `{condition, expected?, negate?, error?, matched?}`.
///
/// `negate` is shown only when true; `error` and `matched` only in run details, once evaluated.
public enum ConditionDTO {
    /// A precondition as declared (DAG or step).
    public static func render(_ condition: Condition) -> JSONValue {
        var object: JSONObject = ["condition": .string(condition.condition)]
        object["expected"] = condition.expected.map(JSONValue.string)
        object["negate"] = DTOValue.flag(condition.negate)
        return .object(object)
    }

    /// A precondition as evaluated in a run.
    public static func render(_ record: ConditionRecord) -> JSONValue {
        var object: JSONObject = ["condition": .string(record.condition)]
        object["expected"] = record.expected.map(JSONValue.string)
        object["negate"] = DTOValue.flag(record.negate ?? false)
        object["error"] = DTOValue.text(record.error)
        object["matched"] = record.matched.map(JSONValue.bool)
        return .object(object)
    }
}
