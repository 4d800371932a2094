/// `continue_on` of a step (§8.1): whether dependents may run after it failed or was skipped.
public struct ContinueOn: Sendable, Hashable {
    public var skipped = false
    public var failed = false
    public var exitCodes: [Int] = []
    /// Lines of stdout to look for; `re:<regex>` entries are regular expressions.
    public var output: [String] = []
    public var markSuccess = false

    public init() {}

    /// True when nothing is set.
    public var isEmpty: Bool { self == ContinueOn() }
}

/// An integer that may instead be a string evaluated at run time (`limit: "${RETRIES}"`).
public enum IntOrExpression: Sendable, Hashable {
    case value(Int)
    case expression(String)
}

/// `retry_policy` of a step (§8.2).
public struct RetryPolicy: Sendable, Hashable {
    public var limit: IntOrExpression
    public var intervalSec: IntOrExpression = .value(0)
    public var exitCodes: [Int] = []
    /// Multiplier per retry; `nil` = constant interval (`backoff: true` = 2.0).
    public var backoff: Double?
    public var maxIntervalSec: Int?

    public init(limit: IntOrExpression) {
        self.limit = limit
    }
}

/// `repeat_policy` of a step (§8.3).
public struct RepeatPolicy: Sendable, Hashable {
    /// Repeat while the test holds, or until it holds.
    public enum Mode: String, Sendable, Hashable {
        case `while`
        case until
    }

    public var mode: Mode
    public var condition: Condition?
    public var exitCodes: [Int] = []
    public var intervalSec = 0
    /// Total executions at most; `nil` = unlimited.
    public var limit: Int?
    public var backoff: Double?
    public var maxIntervalSec: Int?

    public init(mode: Mode) {
        self.mode = mode
    }
}
