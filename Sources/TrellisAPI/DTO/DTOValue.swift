import TrellisCore

/// Small conversions shared by the renderers: optional fields are `nil` (omitted) when unset,
/// empty or 0; arrays are always arrays.
enum DTOValue {
    /// A string, or `nil` when unset or empty.
    static func text(_ value: String?) -> JSONValue? {
        guard let value, !value.isEmpty else { return nil }
        return .string(value)
    }

    /// An integer, or `nil` when 0 (or negative, which no optional count uses).
    static func positive(_ value: Int) -> JSONValue? {
        value > 0 ? .integer(value) : nil
    }

    /// An integer, or `nil` when unset or 0.
    static func positive(_ value: Int?) -> JSONValue? {
        value.flatMap(positive)
    }

    /// `true`, or `nil` when false (for `field?: true` keys).
    static func flag(_ value: Bool) -> JSONValue? {
        value ? .bool(true) : nil
    }

    static func strings(_ values: [String]) -> JSONValue {
        .array(values.map(JSONValue.string))
    }

    static func integers(_ values: [Int]) -> JSONValue {
        .array(values.map(JSONValue.integer))
    }

    /// A number as JSON: integral values as integers (`2`), others as numbers (`1.5`).
    static func number(_ value: Double) -> JSONValue {
        if value.rounded() == value, abs(value) < 1e15, let exact = Int(exactly: value) {
            return .integer(exact)
        }
        return .number(value)
    }

    /// An int-or-expression field: the integer, or the expression text as written.
    static func intOrExpression(_ value: IntOrExpression) -> JSONValue {
        switch value {
        case .value(let number): return .integer(number)
        case .expression(let text): return .string(text)
        }
    }
}
