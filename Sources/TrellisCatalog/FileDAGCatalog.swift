import Logging
import Synchronization
import TrellisCore

/// The DAG catalog backed by a DAGs directory (DAG-FORMAT §1.1–§1.2) and the suspend flags in
/// `data/suspend` (§15.3, §17).
///
/// Updates (``rescan()``, ``reload(fileName:)``, ``remove(fileName:)``, ``setSuspended(fileName:_:)``)
/// are serialized by one lock held for the whole update, file reads included; readers
/// (``entries()``, ``entry(fileName:)``, ``generation``) only take a second lock long enough to
/// copy the published snapshot, so they never wait for I/O.
///
/// Filesystem events are hints: every update re-checks the disk. The composition root calls
/// ``rescan()`` at start-up (after the watcher is in place) and feeds watcher events to
/// ``handleChanged(name:)``, ``handleRemoved(name:)`` and ``handleRescan()``.
public final class FileDAGCatalog: DAGCatalog {
    /// What the writer side keeps between updates.
    struct Store: Sendable {
        /// Stem → record, for the chosen file of each stem.
        var records: [String: DAGFileRecord] = [:]
        /// Stems with a suspend flag.
        var suspended: Set<String> = []
        /// `.yml` files currently ignored because their `.yaml` twin exists (warned once).
        var shadowed: Set<String> = []
    }

    /// The DAGs directory (made absolute, so entry paths are absolute).
    public let dagsDirectory: String
    /// The directory of suspend flags (`<file-name>.suspend`), made absolute.
    public let suspendDirectory: String

    let readFile: @Sendable (String) throws -> [UInt8]
    let logger: Logger
    let store = Mutex(Store())
    let published = Mutex(CatalogSnapshot())

    /// A catalog of `dagsDirectory`, empty until the first ``rescan()``.
    ///
    /// - Parameters:
    ///   - suspendDirectory: where suspend flags live (`data/suspend`); created on demand.
    ///   - readFile: reads a DAG file's bytes (tests inject one to count reads); `nil` = `open`/`read`.
    public init(
        dagsDirectory: String,
        suspendDirectory: String,
        logger: Logger,
        readFile: (@Sendable (String) throws -> [UInt8])? = nil
    ) {
        self.dagsDirectory = DAGDirectory.absolute(dagsDirectory)
        self.suspendDirectory = DAGDirectory.absolute(suspendDirectory)
        self.logger = logger
        self.readFile = readFile ?? DAGDirectory.readFile(atPath:)
    }

    /// Every entry, sorted by file name. A cached array: cheap to call.
    public func entries() -> [CatalogEntry] {
        published.withLock { $0.entries }
    }

    /// The entry of a file stem (`etl` for `etl.yaml`).
    public func entry(fileName: String) -> CatalogEntry? {
        published.withLock { snapshot in snapshot.byFileName[fileName].map { snapshot.entries[$0] } }
    }

    /// The entry that owns the DAG name `name`.
    public func entry(dagName name: String) -> CatalogEntry? {
        published.withLock { snapshot in snapshot.byDAGName[name].map { snapshot.entries[$0] } }
    }

    /// Increases by one on every change of the entries.
    public var generation: Int {
        published.withLock { $0.generation }
    }

    // MARK: - Watcher events

    /// A watcher reported `name` (an entry name such as `etl.yaml`) as created or written.
    /// Names that are not DAG files are ignored.
    public func handleChanged(name: String) {
        reload(fileName: name)
    }

    /// A watcher reported `name` as deleted or moved out.
    public func handleRemoved(name: String) {
        remove(fileName: name)
    }

    /// A watcher asked for a full rescan (periodic tick or lost events); failures are logged.
    public func handleRescan() {
        do {
            try rescan()
        } catch {
            logger.error("cannot rescan the DAGs directory", metadata: ["path": "\(dagsDirectory)", "error": "\(error)"])
        }
    }

    // MARK: - Publishing

    /// Re-loads records whose `call:` warnings depend on a changed set of known names, stores
    /// the result and publishes a new snapshot when anything differs.
    func commit(_ store: inout Store, records: [String: DAGFileRecord], suspended: Set<String>) {
        var records = records
        let known = Self.knownNames(records)
        for (stem, record) in records where record.needsReload(knownNames: known) {
            records[stem] = record.reloaded(knownNames: known)
        }
        guard suspended != store.suspended || Self.differ(records, store.records) else { return }
        store.records = records
        store.suspended = suspended
        let generation = published.withLock { $0.generation } + 1
        let snapshot = CatalogSnapshot(records: records, suspended: suspended, generation: generation)
        published.withLock { $0 = snapshot }
    }

    /// Whether two record sets show different entries (records are compared by identity first).
    static func differ(_ new: [String: DAGFileRecord], _ old: [String: DAGFileRecord]) -> Bool {
        guard new.count == old.count else { return true }
        return new.contains { stem, record in
            guard let previous = old[stem] else { return true }
            return !record.showsSameEntry(as: previous)
        }
    }

    /// Every stem and DAG name: the loader's `knownDAGNames`.
    static func knownNames(_ records: [String: DAGFileRecord]) -> Set<String> {
        var names = Set(records.keys)
        for record in records.values { names.insert(record.dagName) }
        return names
    }
}
