/// One step of a DAG (or a handler), normalized.
public struct Step: Sendable, Hashable {
    public var name: String
    public var id: String?
    public var description: String?
    /// Names of the steps this one waits for (resolved from names or ids; for a chain, inferred).
    public var depends: [String] = []
    /// What the step runs.
    public var kind: StepKind = .command
    /// The `type` as written (`subworkflow`, `http`…), when set.
    public var typeName: String?
    /// Commands run one after another, stopping at the first failure (§6.2). A single command
    /// string is one entry.
    public var commands: [String] = []
    public var script: String?
    /// The step's own shell argv, when set.
    public var shell: [String]?
    public var workingDir: String?
    public var env: [EnvEntry] = []
    /// Sub-DAG name (`call:`).
    public var call: String?
    /// Sub-DAG params as one string, unevaluated.
    public var callParams: String?
    public var parallel: ParallelSpec? {
        get { storedParallel.value }
        set { storedParallel.value = newValue }
    }
    public var http: HTTPSpec? {
        get { storedHTTP.value }
        set { storedHTTP.value = newValue }
    }
    /// The `with:` block as written, for API echo.
    public var with: JSONValue? {
        get { storedWith.value }
        set { storedWith.value = newValue }
    }
    /// Output variable name (leading `$` dropped).
    public var output: String?
    public var stdout: String?
    public var stderr: String?
    public var continueOn = ContinueOn()
    public var retryPolicy: RetryPolicy? {
        get { storedRetryPolicy.value }
        set { storedRetryPolicy.value = newValue }
    }
    public var repeatPolicy: RepeatPolicy? {
        get { storedRepeatPolicy.value }
        set { storedRepeatPolicy.value = newValue }
    }
    public var preconditions: [Condition] = []
    public var timeoutSec = 0
    /// Signal sent on stop, as a name (`SIGTERM`).
    public var signalOnStop: String?
    /// The 1-based YAML line of the step, for messages.
    public var line: Int?

    // Parts most steps leave unset, kept out of line: a step is copied and stored often (every
    // catalog entry holds its DAG's steps), and these made up more than half of its size.
    private var storedParallel = OutOfLine<ParallelSpec>()
    private var storedHTTP = OutOfLine<HTTPSpec>()
    private var storedWith = OutOfLine<JSONValue>()
    private var storedRetryPolicy = OutOfLine<RetryPolicy>()
    private var storedRepeatPolicy = OutOfLine<RepeatPolicy>()

    public init(name: String) {
        self.name = name
    }
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
