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
///
/// The steps live in a dictionary rather than in five inline optionals: a `Step` is several
/// hundred bytes, and five of them inline made every `DAG` (and every catalog entry holding one)
/// about 3.5 KiB, nearly all of it empty. Most DAGs have no handler, and an empty dictionary
/// allocates nothing.
public struct HandlerOn: Sendable, Hashable {
    /// The handler kinds, in the order they can run.
    public enum Kind: Int, Sendable, Hashable, CaseIterable {
        case initialize, success, failure, abort, exit
    }

    private var steps: [Kind: Step] = [:]

    public init() {}

    public subscript(kind: Kind) -> Step? {
        get { steps[kind] }
        set { steps[kind] = newValue }
    }

    public var initialize: Step? { get { self[.initialize] } set { self[.initialize] = newValue } }
    public var success: Step? { get { self[.success] } set { self[.success] = newValue } }
    public var failure: Step? { get { self[.failure] } set { self[.failure] = newValue } }
    public var abort: Step? { get { self[.abort] } set { self[.abort] = newValue } }
    public var exit: Step? { get { self[.exit] } set { self[.exit] = newValue } }

    /// Every defined handler, in the order they can run.
    public var all: [Step] { Kind.allCases.compactMap { steps[$0] } }
}

extension HandlerOn: CustomReflectable {
    /// The defined handlers in the order they can run (a dictionary's order would change from
    /// one process to the next in printed values and test messages).
    public var customMirror: Mirror {
        Mirror(self, children: Kind.allCases.compactMap { kind in steps[kind].map { (label: String?.some("\(kind)"), value: $0 as Any) } })
    }
}
