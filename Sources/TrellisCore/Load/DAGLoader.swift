/// What loading one DAG file produced: the model (best effort, even with errors) and every
/// diagnostic.
public struct DAGLoadResult: Sendable, Hashable {
    /// Kept out of line: the catalog holds a load result per file and copies it into its
    /// snapshot entries and list index, which then store one pointer each, not a whole ``DAG``.
    private var storedDAG: OutOfLine<DAG>
    /// Every error and warning, in document order.
    public var diagnostics: [Diagnostic]

    public init(dag: DAG?, diagnostics: [Diagnostic]) {
        storedDAG = OutOfLine(dag)
        self.diagnostics = diagnostics
    }

    /// The DAG as far as it could be read; `nil` only when the YAML itself could not be read.
    public var dag: DAG? {
        get { storedDAG.value }
        set { storedDAG.value = newValue }
    }

    /// The errors.
    public var errors: [Diagnostic] { diagnostics.filter(\.isError) }
    /// The warnings.
    public var warnings: [Diagnostic] { diagnostics.filter { !$0.isError } }
    /// True when the DAG can be run: there is a model and no error.
    public var isValid: Bool { dag != nil && errors.isEmpty }
}

/// What the loader may know about the world beyond the file (still no I/O).
public struct DAGLoadOptions: Sendable {
    /// DAG names and file names in the catalog; a literal `call:` target outside it is warned
    /// about. `nil` = unknown, no warning.
    public var knownDAGNames: Set<String>?

    public init(knownDAGNames: Set<String>? = nil) {
        self.knownDAGNames = knownDAGNames
    }
}

/// Loads DAG files: YAML text in, a normalized ``DAG`` and all problems out. Pure: no I/O.
public enum DAGLoader {
    /// Loads a file's bytes (checked to be UTF-8). `fileName` is the file's base name
    /// (`hello.yaml`); its stem is the default DAG name.
    public static func load(bytes: [UInt8], fileName: String, options: DAGLoadOptions = DAGLoadOptions()) -> DAGLoadResult {
        finish(YAMLDocumentParser().parse(bytes: bytes), fileName: fileName, options: options)
    }

    /// Loads DAG text. `fileName` is the file's base name (`hello.yaml`).
    public static func load(text: String, fileName: String, options: DAGLoadOptions = DAGLoadOptions()) -> DAGLoadResult {
        finish(YAMLDocumentParser().parse(text: text), fileName: fileName, options: options)
    }

    /// The file name without `.yaml` / `.yml`.
    public static func stem(of fileName: String) -> String {
        for suffix in [".yaml", ".yml"] where fileName.hasSuffix(suffix) && fileName.count > suffix.count {
            return String(fileName.dropLast(suffix.count))
        }
        return fileName
    }

    /// Sorts by line (stable), problems without a line first.
    private static func documentOrder(_ items: [Diagnostic]) -> [Diagnostic] {
        items.enumerated().sorted { lhs, rhs in
            let left = lhs.element.line ?? 0, right = rhs.element.line ?? 0
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func finish(_ parsed: Result<YAMLNode?, YAMLLoadError>, fileName: String, options: DAGLoadOptions) -> DAGLoadResult {
        let log = DiagnosticLog(file: fileName)
        switch parsed {
        case .failure(let error):
            log.error("", error.message, line: error.line)
            return DAGLoadResult(dag: nil, diagnostics: log.items)
        case .success(let root):
            let builder = DAGBuilder(log: log, fileStem: stem(of: fileName), options: options)
            let dag = builder.build(root)
            return DAGLoadResult(dag: dag, diagnostics: documentOrder(log.items))
        }
    }
}
