/// A loaded, normalized DAG definition: what a DAG file says, in canonical form.
///
/// Values are as written (unevaluated); substitution happens when a run is built.
public struct DAG: Sendable, Hashable {
    /// The DAG name: `name:` or else the file name.
    public var name: String
    /// The file name (stem, without `.yaml`), when loaded from a file.
    public var fileName: String?
    public var description: String?
    public var group: String?
    public var labels: [Label] = []
    public var type: DAGType = .chain
    public var schedule = Schedule()
    public var skipIfSuccessful = false
    /// Params in file order (§4).
    public var params: [ParamDefinition] = []
    /// `env` entries in file order, unevaluated.
    public var env: [EnvEntry] = []
    /// `dotenv` files; `.env` is always tried first.
    public var dotenv: [String] = []
    public var workingDir: String?
    /// Default shell argv (`["bash", "-e"]`).
    public var shell: [String]?
    public var timeoutSec = 0
    public var delaySec = 0
    public var maxActiveSteps = 0
    public var maxActiveRuns = 1
    public var queue: String?
    public var maxCleanUpTimeSec = 5
    public var maxOutputSize = 1_048_576
    public var histRetentionDays = 30
    public var preconditions: [Condition] = []
    public var handlerOn = HandlerOn()
    /// Steps in file order, with `depends` resolved to step names.
    public var steps: [Step] = []

    /// Creates a DAG with defaults.
    public init(name: String, fileName: String? = nil) {
        self.name = name
        self.fileName = fileName
    }

    /// The step with this name.
    public func step(named name: String) -> Step? {
        steps.first { $0.name == name } ?? handlerOn.all.first { $0.name == name }
    }
}

/// How step order is derived (§3).
public enum DAGType: String, Sendable, Hashable {
    /// Each step depends on the previous one.
    case chain
    /// Only declared `depends` count.
    case graph
}

/// One `env` entry, unevaluated.
public struct EnvEntry: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `NAME=value`, as the API shows it.
    public var description: String { "\(name)=\(value)" }
}

/// A label: `key` or `key=value`, trimmed and lower-cased.
public struct Label: Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String?

    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }

    public var description: String { value.map { "\(key)=\($0)" } ?? key }
}

/// A precondition (§8.4).
public struct Condition: Sendable, Hashable {
    /// Shell command, or (with `expected`) the text to substitute and compare.
    public var condition: String
    /// Expected output line; `re:<regex>` for a match.
    public var expected: String?
    /// Inverts met/unmet.
    public var negate = false

    public init(condition: String, expected: String? = nil, negate: Bool = false) {
        self.condition = condition
        self.expected = expected
        self.negate = negate
    }
}

/// The handler steps (§9).
public struct HandlerOn: Sendable, Hashable {
    public var initialize: Step?
    public var success: Step?
    public var failure: Step?
    public var abort: Step?
    public var exit: Step?

    public init() {}

    /// Every defined handler, in the order they can run.
    public var all: [Step] { [initialize, success, failure, abort, exit].compactMap { $0 } }
}
