/// One item of a params string: `name=value` or a positional value.
public struct ParamToken: Sendable, Hashable {
    /// The name before `=`, or `nil` for a positional value.
    public var name: String?
    /// The value: quotes removed and escapes resolved; a backtick block is kept with its
    /// backticks (it is evaluated later).
    public var value: String

    /// Creates a token.
    public init(name: String? = nil, value: String) {
        self.name = name
        self.value = value
    }
}

extension ParamToken: CustomStringConvertible {
    /// `name=value` or `value`, unquoted.
    public var description: String {
        name.map { "\($0)=\(value)" } ?? value
    }
}
