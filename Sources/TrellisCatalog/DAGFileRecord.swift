import Foundation
import TrellisCore

/// What the catalog remembers about one DAG file: the text, the load result, the disk identity
/// used to skip unchanged files, and the `call:` targets whose presence in the directory decided
/// the loader's warnings.
///
/// Immutable and shared by reference, so the catalog's dictionaries, sorts and snapshots move a
/// pointer instead of copying a whole parsed DAG; a new object means "possibly changed".
final class DAGFileRecord: Sendable {
    /// The entry name (`etl.yaml`).
    let name: String
    /// The stem (`etl`).
    let stem: String
    /// The absolute path.
    let path: String
    /// The identity of the bytes read; `nil` when reading failed (retried on every rescan).
    let identity: FileIdentity?
    /// The text, byte for byte.
    let text: String
    /// The loader's result.
    let load: DAGLoadResult
    /// A read failure (the last good text and result, if any, are kept).
    let readError: Diagnostic?
    /// The modification time.
    let modifiedAt: Date
    /// The literal `call:` targets of every step and handler.
    let callTargets: Set<String>
    /// The targets that were not known DAG names when ``load`` was computed.
    let missingTargets: Set<String>
    /// The DAG name (`name:` or the stem).
    let dagName: String

    private init(name: String, path: String, identity: FileIdentity?, text: String, load: DAGLoadResult,
                 readError: Diagnostic?, modifiedAt: Date, knownNames: Set<String>) {
        self.name = name
        stem = DAGLoader.stem(of: name)
        self.path = path
        self.identity = identity
        self.text = text
        self.load = load
        self.readError = readError
        self.modifiedAt = modifiedAt
        callTargets = Self.callTargets(of: load.dag)
        missingTargets = callTargets.subtracting(knownNames)
        dagName = load.dag?.name ?? stem
    }

    /// Loads `bytes` read from the file at `path` (entry name `name`).
    convenience init(name: String, path: String, identity: FileIdentity, bytes: [UInt8], knownNames: Set<String>) {
        let load = DAGLoader.load(bytes: bytes, fileName: name, options: DAGLoadOptions(knownDAGNames: knownNames))
        self.init(name: name, path: path, identity: identity, text: String(decoding: bytes, as: UTF8.self), load: load,
                  readError: nil, modifiedAt: identity.modifiedAt, knownNames: knownNames)
    }

    /// A file that could not be read: the previous content of the same file is kept if there was
    /// one; otherwise there is no model and the read error is the only problem.
    static func unreadable(_ name: String, path: String, error: CatalogError, previous: DAGFileRecord?,
                           knownNames: Set<String>) -> DAGFileRecord {
        let readError = Diagnostic(.error, file: name, path: "", message: error.description)
        if let previous, previous.name == name {
            return DAGFileRecord(name: name, path: path, identity: nil, text: previous.text, load: previous.load,
                                 readError: readError, modifiedAt: previous.modifiedAt, knownNames: knownNames)
        }
        var load = DAGLoader.load(bytes: [], fileName: name)
        load.dag = nil
        load.diagnostics = []
        return DAGFileRecord(name: name, path: path, identity: nil, text: "", load: load, readError: readError,
                             modifiedAt: Date(timeIntervalSince1970: 0), knownNames: knownNames)
    }

    /// Whether the loader's `call:` warnings would change with `knownNames`.
    func needsReload(knownNames: Set<String>) -> Bool {
        callTargets.contains { knownNames.contains($0) == missingTargets.contains($0) }
    }

    /// The same text loaded again with `knownNames` (no I/O).
    func reloaded(knownNames: Set<String>) -> DAGFileRecord {
        let load = DAGLoader.load(text: text, fileName: name, options: DAGLoadOptions(knownDAGNames: knownNames))
        return DAGFileRecord(name: name, path: path, identity: identity, text: text, load: load, readError: readError,
                             modifiedAt: modifiedAt, knownNames: knownNames)
    }

    /// Whether `other` shows the same entry (everything but the identity).
    func showsSameEntry(as other: DAGFileRecord) -> Bool {
        self === other || (name == other.name && path == other.path && text == other.text && load == other.load
            && readError == other.readError && modifiedAt == other.modifiedAt)
    }

    /// The literal (`$`-free) `call:` names of a DAG's steps and handlers.
    static func callTargets(of dag: DAG?) -> Set<String> {
        guard let dag else { return [] }
        let handlers = [dag.handlerOn.initialize, dag.handlerOn.success, dag.handlerOn.failure,
                        dag.handlerOn.abort, dag.handlerOn.exit].compactMap { $0 }
        let names = (dag.steps + handlers).compactMap(\.call).filter { !$0.contains("$") }
        return Set(names)
    }
}
