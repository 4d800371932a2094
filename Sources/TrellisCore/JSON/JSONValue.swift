/// A JSON document or fragment that keeps the order of object keys.
///
/// Numbers written without a fraction or exponent that fit in `Int` are `.integer`; every other
/// number is `.number`. `JSONValue.parse(_:)` never produces a non-finite `.number`, and
/// `serialized(sortedKeys:)` writes one as `null` should a caller construct it by hand.
public enum JSONValue: Sendable, Hashable {
    /// The JSON literal `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case integer(Int)
    /// Any other number (always finite when parsed).
    case number(Double)
    /// A string.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object, in key order.
    case object(JSONObject)
}

extension JSONValue {
    /// The string payload, or `nil` for other kinds.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The boolean payload, or `nil` for other kinds.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The value of an `.integer`, or of a `.number` that is integral and fits in `Int`.
    public var intValue: Int? {
        switch self {
        case .integer(let value):
            return value
        case .number(let value):
            guard value.isFinite, value.rounded() == value,
                  let exact = Int(exactly: value) else { return nil }
            return exact
        default:
            return nil
        }
    }

    /// The numeric payload of `.integer` or `.number` as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The elements of an `.array`, or `nil` for other kinds.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The payload of an `.object`, or `nil` for other kinds.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Whether this is `null`, a boolean, a number or a string.
    public var isScalar: Bool {
        switch self {
        case .null, .bool, .integer, .number, .string: return true
        case .array, .object: return false
        }
    }

    /// The member `key` of an object, or `nil` (also for non-objects).
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The kind of value as JSON Schema names it (`"integer"`, `"number"`, `"object"`, …).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Plain text for a scalar: strings as they are, numbers in shortest JSON form, `true`/
    /// `false`, and `""` for `null`; arrays and objects as compact JSON.
    public var plainText: String {
        switch self {
        case .null: return ""
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return JSONNumberFormat.format(value)
        case .array, .object: return serialized()
        }
    }
}
