import Foundation

/// One DAG file as the catalog knows it (DAG-FORMAT §1.1): parsed, validated, with its errors.
public struct CatalogEntry: Sendable, Hashable {
    /// The file stem (`etl` for `etl.yaml`): definitions are keyed by it.
    public var fileName: String
    /// Absolute path of the file.
    public var path: String
    /// The file's text, byte for byte as read (served by the spec endpoint).
    public var text: String
    /// The load result: the DAG (best effort) and every diagnostic.
    public var load: DAGLoadResult
    /// Problems found across files (a clashing DAG name); they make the entry invalid too.
    public var catalogErrors: [Diagnostic]
    /// The file's modification time.
    public var modifiedAt: Date
    /// Whether the DAG is suspended (`data/suspend/<file-name>.suspend`).
    public var suspended: Bool

    public init(fileName: String, path: String, text: String, load: DAGLoadResult, catalogErrors: [Diagnostic] = [],
                modifiedAt: Date, suspended: Bool = false) {
        self.fileName = fileName
        self.path = path
        self.text = text
        self.load = load
        self.catalogErrors = catalogErrors
        self.modifiedAt = modifiedAt
        self.suspended = suspended
    }

    /// The DAG name (`name:` or the stem).
    public var dagName: String { load.dag?.name ?? fileName }
    /// Every error, the file's own and the catalog's.
    public var errors: [Diagnostic] { load.errors + catalogErrors }
    /// Startable and schedulable: parsed with no error.
    public var isValid: Bool { load.dag != nil && errors.isEmpty }
}

/// The in-memory set of parsed DAG files shared by the API and the scheduler.
public protocol DAGCatalog: Sendable {
    /// Every entry, sorted by file name.
    func entries() -> [CatalogEntry]
    /// The entry of a file stem.
    func entry(fileName: String) -> CatalogEntry?
    /// The entry whose DAG name is `name` (the one that owns the name when names clash).
    func entry(dagName name: String) -> CatalogEntry?
    /// Increases whenever the catalog changes; cheap to poll.
    var generation: Int { get }
}
