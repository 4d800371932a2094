/// One problem with params: a malformed params string, an unknown name, a missing required
/// value, or a value that breaks its definition.
public struct ParamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The param concerned (its name, or `"1"`, `"2"`, … for a positional one), if any.
    public let param: String?
    /// The complete message, naming the param when there is one, e.g.
    /// `param "batch_size": value 0 is less than minimum 1` or `param "env" is required`.
    public let message: String

    /// Creates an error; `message` is the complete text.
    public init(param: String?, message: String) {
        self.param = param
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// `param "<name>": <problem>`.
    static func value(_ param: String, _ problem: String) -> ParamError {
        ParamError(param: param, message: "param \"\(param)\": \(problem)")
    }
}

/// Every problem found while resolving params, in definition order (not only the first).
public struct ParamErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, never empty when thrown or returned as a failure.
    public var errors: [ParamError]

    /// Wraps `errors`.
    public init(_ errors: [ParamError]) {
        self.errors = errors
    }

    /// The messages, one per problem.
    public var messages: [String] { errors.map(\.message) }

    /// The messages joined with `; `.
    public var description: String {
        messages.joined(separator: "; ")
    }
}
