import Logging
import TrellisCore

extension FileDAGCatalog {
    /// Lists the DAGs directory and brings every entry up to date. Files whose (device, inode,
    /// size, mtime) did not change are not read again; new and changed files are loaded; files
    /// that are gone disappear. A missing directory is an empty catalog.
    ///
    /// - Throws: ``CatalogError`` when the directory exists but cannot be listed (the catalog
    ///   is then left as it was).
    public func rescan() throws(CatalogError) {
        try store.withLock { (store: inout Store) throws(CatalogError) in
            guard let names = try DAGDirectory.list(dagsDirectory) else {
                logger.warning("DAGs directory does not exist", metadata: ["path": "\(dagsDirectory)"])
                commit(&store, records: [:], suspended: listSuspended(current: store.suspended))
                return
            }
            var records: [String: DAGFileRecord] = [:]
            var changed: [(stem: String, name: String, identity: FileIdentity)] = []
            var shadowed: Set<String> = []
            for (stem, candidates) in DAGFileNames.candidates(names) {
                let present = candidates.compactMap { name in
                    DAGDirectory.identity(ofFile: DAGDirectory.join(dagsDirectory, name)).map { (name: name, identity: $0) }
                }
                guard let (name, identity) = present.first else { continue }
                shadowed.formUnion(present.dropFirst().map(\.name))
                if let old = store.records[stem], old.name == name, old.identity == identity {
                    records[stem] = old
                } else {
                    changed.append((stem, name, identity))
                }
            }
            warnShadowed(shadowed, store: &store)
            var known = Self.knownNames(records).union(changed.map(\.stem))
            for file in changed {
                let record = load(file.name, identity: file.identity, previous: store.records[file.stem], knownNames: known)
                records[file.stem] = record
                known.insert(record.dagName)
            }
            commit(&store, records: records, suspended: listSuspended(current: store.suspended))
        }
    }

    /// Re-reads one file after it was created or written. `fileName` is the entry name
    /// (`etl.yaml`); the file is read even if its identity looks unchanged (the event says it
    /// changed). `x.yml` is ignored while `x.yaml` exists; names that are not DAG files are
    /// ignored.
    public func reload(fileName: String) {
        refresh(fileName, forceRead: true)
    }

    /// Forgets one file after it was deleted or moved out. The disk is checked: a file that is
    /// back (or whose `.yml` twin now applies) is kept or loaded instead.
    public func remove(fileName: String) {
        refresh(fileName, forceRead: false)
    }

    /// Brings the stem of `fileName` up to date from the disk.
    private func refresh(_ fileName: String, forceRead: Bool) {
        guard DAGFileNames.isDAGFileName(fileName) else { return }
        let stem = DAGLoader.stem(of: fileName)
        store.withLock { store in
            let yaml = stem + ".yaml", yml = stem + ".yml"
            let yamlIdentity = DAGDirectory.identity(ofFile: DAGDirectory.join(dagsDirectory, yaml))
            let ymlIdentity = DAGDirectory.identity(ofFile: DAGDirectory.join(dagsDirectory, yml))
            var shadowed = store.shadowed
            if yamlIdentity != nil && ymlIdentity != nil { shadowed.insert(yml) } else { shadowed.remove(yml) }
            warnShadowed(shadowed, store: &store)
            var records = store.records
            let previous = records[stem]
            if let (name, identity) = yamlIdentity.map({ (yaml, $0) }) ?? ymlIdentity.map({ (yml, $0) }) {
                let unchanged = previous?.name == name && previous?.identity == identity
                if !unchanged || (forceRead && name == fileName) {
                    records[stem] = nil
                    let known = Self.knownNames(records).union([stem])
                    records[stem] = load(name, identity: identity, previous: previous, knownNames: known)
                }
            } else {
                records[stem] = nil
            }
            var suspended = store.suspended
            if isSuspended(fileName: stem) { suspended.insert(stem) } else { suspended.remove(stem) }
            commit(&store, records: records, suspended: suspended)
        }
    }

    /// Reads and loads one file; a read failure keeps the previous content with an error.
    private func load(_ name: String, identity: FileIdentity, previous: DAGFileRecord?, knownNames: Set<String>) -> DAGFileRecord {
        let path = DAGDirectory.join(dagsDirectory, name)
        do {
            let bytes = try readFile(path)
            return DAGFileRecord(name: name, path: path, identity: identity, bytes: bytes, knownNames: knownNames)
        } catch {
            let failure = error as? CatalogError ?? CatalogError(.cannotReadFile, path: path)
            logger.error("cannot read DAG file", metadata: ["path": "\(path)", "error": "\(failure)"])
            return DAGFileRecord.unreadable(name, path: path, error: failure, previous: previous, knownNames: knownNames)
        }
    }

    /// Logs each `.yml` file newly ignored because of its `.yaml` twin (§1.1), once.
    private func warnShadowed(_ shadowed: Set<String>, store: inout Store) {
        for name in shadowed.subtracting(store.shadowed).sorted() {
            logger.warning("DAG file ignored: a .yaml file with the same name exists", metadata: [
                "path": "\(DAGDirectory.join(dagsDirectory, name))",
                "used": "\(DAGLoader.stem(of: name)).yaml",
            ])
        }
        store.shadowed = shadowed
    }
}
