/// One step of a DAG (or a handler), normalized.
public struct Step: Sendable, Hashable {
    public var name: String
    public var id: String?
    public var description: String?
    /// Names of the steps this one waits for (resolved from names or ids; for a chain, inferred).
    public var depends: [String] = []
    /// What the step runs.
    public var kind: StepKind = .command
    /// Commands run one after another, stopping at the first failure (§6.2). A single command
    /// string is one entry.
    public var commands: [String] = []
    public var env: [EnvEntry] = []
    public var timeoutSec = 0
    /// The 1-based YAML line of the step, for messages.
    public var line: Int?

    /// The parts most steps leave unset, in one box: a step is copied and stored often (every
    /// catalog entry holds its DAG's steps), and inline they made up two thirds of its size.
    private var extras = OutOfLine<StepExtras>()

    /// The `type` as written (`subworkflow`, `http`…), when set.
    public var typeName: String? { get { self[extra: \.typeName] } set { self[extra: \.typeName] = newValue } }
    public var script: String? { get { self[extra: \.script] } set { self[extra: \.script] = newValue } }
    /// The step's own shell argv, when set.
    public var shell: [String]? { get { self[extra: \.shell] } set { self[extra: \.shell] = newValue } }
    public var workingDir: String? { get { self[extra: \.workingDir] } set { self[extra: \.workingDir] = newValue } }
    /// Sub-DAG name (`call:`).
    public var call: String? { get { self[extra: \.call] } set { self[extra: \.call] = newValue } }
    /// Sub-DAG params as one string, unevaluated.
    public var callParams: String? { get { self[extra: \.callParams] } set { self[extra: \.callParams] = newValue } }
    public var parallel: ParallelSpec? { get { self[extra: \.parallel] } set { self[extra: \.parallel] = newValue } }
    public var http: HTTPSpec? { get { self[extra: \.http] } set { self[extra: \.http] = newValue } }
    /// The `with:` block as written, for API echo.
    public var with: JSONValue? { get { self[extra: \.with] } set { self[extra: \.with] = newValue } }
    /// Output variable name (leading `$` dropped).
    public var output: String? { get { self[extra: \.output] } set { self[extra: \.output] = newValue } }
    public var stdout: String? { get { self[extra: \.stdout] } set { self[extra: \.stdout] = newValue } }
    public var stderr: String? { get { self[extra: \.stderr] } set { self[extra: \.stderr] = newValue } }
    public var continueOn: ContinueOn { get { self[extra: \.continueOn] } set { self[extra: \.continueOn] = newValue } }
    public var retryPolicy: RetryPolicy? { get { self[extra: \.retryPolicy] } set { self[extra: \.retryPolicy] = newValue } }
    public var repeatPolicy: RepeatPolicy? { get { self[extra: \.repeatPolicy] } set { self[extra: \.repeatPolicy] = newValue } }
    public var preconditions: [Condition] { get { self[extra: \.preconditions] } set { self[extra: \.preconditions] = newValue } }
    /// Signal sent on stop, as a name (`SIGTERM`).
    public var signalOnStop: String? { get { self[extra: \.signalOnStop] } set { self[extra: \.signalOnStop] = newValue } }

    public init(name: String) {
        self.name = name
    }

    /// One part of ``extras``; setting every part back to its default drops the box.
    private subscript<Value>(extra part: WritableKeyPath<StepExtras, Value>) -> Value {
        get { extras[part] ?? StepExtras.none[keyPath: part] }
        set {
            var value = extras.value ?? StepExtras.none
            value[keyPath: part] = newValue
            extras.value = value == StepExtras.none ? nil : value
        }
    }
}

/// The rarely set parts of a ``Step``, stored out of line.
private struct StepExtras: Sendable, Hashable {
    static let none = StepExtras()

    var typeName: String?
    var script: String?
    var shell: [String]?
    var workingDir: String?
    var call: String?
    var callParams: String?
    var parallel: ParallelSpec?
    var http: HTTPSpec?
    var with: JSONValue?
    var output: String?
    var stdout: String?
    var stderr: String?
    var continueOn = ContinueOn()
    var retryPolicy: RetryPolicy?
    var repeatPolicy: RepeatPolicy?
    var preconditions: [Condition] = []
    var signalOnStop: String?
}

/// What kind of work a step does (§7).
public enum StepKind: String, Sendable, Hashable {
    /// `command` / `script` run by a shell.
    case command
    /// A sub-DAG run (`call:`).
    case dag
    /// Sub-DAG runs over a list of items (`call:` + `parallel:`).
    case parallel
    /// An HTTP request.
    case http
}

/// `parallel:` of a sub-DAG step (§7.2).
public struct ParallelSpec: Sendable, Hashable {
    /// Where the items come from.
    public enum Items: Sendable, Hashable {
        /// A `${VAR}` reference resolved at run time.
        case reference(String)
        /// A static list of strings, numbers or maps of params.
        case list([JSONValue])
    }

    public var items: Items
    public var maxConcurrent = 10

    public init(items: Items, maxConcurrent: Int = 10) {
        self.items = items
        self.maxConcurrent = maxConcurrent
    }
}

/// An `http` step's request (§7.3), unevaluated.
public struct HTTPSpec: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [EnvEntry] = []
    public var query: [EnvEntry] = []
    public var body: String?
    /// Request timeout in seconds; 0 = none.
    public var timeoutSec = 0
    public var silent = false
    /// Expected status codes; empty = any 2xx.
    public var expectedStatus: [Int] = []
    public var json = false

    public init(method: String, url: String) {
        self.method = method
        self.url = url
    }
}
