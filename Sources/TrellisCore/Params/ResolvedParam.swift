/// One param of a run after overrides, coercion and validation.
public struct ResolvedParam: Sendable, Hashable {
    /// The name, or `nil` for a positional param (addressed as `1`, `2`, … by its place in
    /// `ResolvedParams.items`).
    public var name: String?
    /// The value: typed (`.integer(50)`, `.bool(true)`, …) for typed params, `.string` for text
    /// params, `.null` when the param has no value at all (no default, no override, not
    /// required), and the `eval` text as `.string` while `needsEval` is set.
    public var value: JSONValue
    /// The text exported to the environment: `"50"`, `"2.5"`, `"true"`, `"two words"`; `""`
    /// for `.null`.
    public var rendered: String
    /// Set when the value is still the definition's `eval` text (no override was given): the
    /// engine runs it when the run is built and then calls
    /// `ResolvedParams.applyEvaluation(_:at:definition:)`.
    public var needsEval: Bool

    /// Creates a resolved param; `rendered` defaults to the value's plain text.
    public init(name: String?, value: JSONValue, rendered: String? = nil, needsEval: Bool = false) {
        self.name = name
        self.value = value
        self.rendered = rendered ?? value.plainText
        self.needsEval = needsEval
    }
}
