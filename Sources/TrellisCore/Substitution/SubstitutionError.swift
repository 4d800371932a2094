/// A substitution that could not be completed: today, always a backtick command.
///
/// Undefined variables, unresolvable JSON paths and malformed `${…}` are not errors — they are
/// left untouched for the shell (§5.3). The message names the command and, once attached with
/// `naming(field:)`, the field that held it.
public struct SubstitutionError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The command runner threw (the command could not run or exited non-zero).
        case commandFailed = "command_failed"
        /// A backtick needed running but the `Substitutor` has no command runner.
        case commandUnavailable = "command_unavailable"
    }

    /// The kind of failure.
    public let code: Code
    /// The command between the backticks, after its references were substituted.
    public let command: String
    /// The field or env entry the text came from (`env DB_URL`), when known.
    public let field: String?
    /// What the command runner threw.
    public let cause: (any Error)?

    /// Creates an error.
    public init(code: Code, command: String, field: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.command = command
        self.field = field
        self.cause = cause
    }

    /// One sentence: `env B: command substitution `date` failed: <cause>`.
    public var message: String {
        var text = field.map { "\($0): " } ?? ""
        switch code {
        case .commandFailed:
            text += "command substitution `\(command)` failed"
            if let cause { text += ": \(cause)" }
        case .commandUnavailable:
            text += "command substitution `\(command)` is not available here"
        }
        return text
    }

    /// The message.
    public var description: String { message }

    /// The same error, attributed to `field` (an outer field wins over none, not over an inner one).
    public func naming(field: String) -> SubstitutionError {
        SubstitutionError(code: code, command: command, field: self.field ?? field, cause: cause)
    }
}
