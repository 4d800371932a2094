import TrellisCore

/// The published, immutable view of the catalog: entries sorted by file name and two indexes.
/// Built from the records by a pure function that also applies the DAG-name uniqueness rule
/// (DAG-FORMAT §1.2).
struct CatalogSnapshot: Sendable {
    /// Every entry, sorted by file name (stem).
    var entries: [CatalogEntry] = []
    /// Stem → index in ``entries``.
    var byFileName: [String: Int] = [:]
    /// DAG name → index of the entry that owns the name.
    var byDAGName: [String: Int] = [:]
    /// Increases on every change.
    var generation = 0

    /// The entries of `records` (keyed by stem) with `suspended` stems flagged and name clashes
    /// turned into catalog errors.
    init(records: [String: DAGFileRecord], suspended: Set<String>, generation: Int) {
        self.generation = generation
        let sorted = records.keys.sorted().compactMap { records[$0] }
        let owners = Self.nameOwners(sorted)
        entries.reserveCapacity(sorted.count)
        byFileName.reserveCapacity(sorted.count)
        byDAGName.reserveCapacity(sorted.count)
        for record in sorted {
            var errors: [Diagnostic] = []
            if let readError = record.readError { errors.append(readError) }
            if let owner = owners[record.dagName], owner !== record {
                errors.append(Diagnostic(.error, file: record.name, path: "name",
                                         message: "DAG name \"\(record.dagName)\" is already used by \(owner.name)"))
            } else {
                byDAGName[record.dagName] = entries.count
            }
            byFileName[record.stem] = entries.count
            entries.append(CatalogEntry(fileName: record.stem, path: record.path, text: record.text, load: record.load,
                                        catalogErrors: errors, modifiedAt: record.modifiedAt,
                                        suspended: suspended.contains(record.stem)))
        }
    }

    /// An empty catalog.
    init() {}

    /// For each DAG name, the file that keeps it: the one whose stem is the name, else the
    /// lexicographically first file name.
    static func nameOwners(_ records: [DAGFileRecord]) -> [String: DAGFileRecord] {
        var owners: [String: DAGFileRecord] = [:]
        for record in records {
            guard let current = owners[record.dagName] else {
                owners[record.dagName] = record
                continue
            }
            if current.stem == record.dagName { continue }
            if record.stem == record.dagName || record.name < current.name {
                owners[record.dagName] = record
            }
        }
        return owners
    }
}
