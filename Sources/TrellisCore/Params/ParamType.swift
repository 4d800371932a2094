/// The type of a typed param, as JSON Schema names it.
public enum ParamType: String, Sendable, Hashable, CaseIterable {
    /// Text; scalars given for it are rendered as text.
    case string
    /// A whole number; `"50"` and `-3` are accepted, `"5.5"` is not.
    case integer
    /// Any finite number; `"2.5"` and integers are accepted.
    case number
    /// `true` or `false` (strings compared case-insensitively).
    case boolean

    /// The article-and-noun phrase used in messages: `an integer`, `a number`, ….
    var phrase: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "a boolean"
        }
    }

    /// Whether numeric constraints (`minimum`, `multipleOf`, …) apply.
    var isNumeric: Bool {
        self == .integer || self == .number
    }
}
