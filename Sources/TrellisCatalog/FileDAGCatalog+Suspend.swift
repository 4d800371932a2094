#if canImport(Glibc)
import Glibc
#endif
import Logging
import TrellisCore

extension FileDAGCatalog {
    /// Whether the DAG file with stem `fileName` is suspended: `<suspendDirectory>/<fileName>.suspend`
    /// exists (read from the disk, so flags set by another process count at once).
    public func isSuspended(fileName: String) -> Bool {
        guard NameRules.isValidDAGName(fileName) else { return false }
        return DAGDirectory.exists(flagPath(fileName))
    }

    /// Suspends (creates the empty flag file) or resumes (removes it) the DAG file with stem
    /// `fileName`; the entry's `suspended` and the generation follow.
    ///
    /// - Throws: ``CatalogError`` naming the flag path when it cannot be created or removed, or
    ///   when `fileName` is not a valid file name (§1.2).
    public func setSuspended(fileName: String, _ suspended: Bool) throws(CatalogError) {
        guard NameRules.isValidDAGName(fileName) else { throw CatalogError(.invalidFileName, path: fileName) }
        let path = flagPath(fileName)
        if suspended {
            if let failure = DAGDirectory.makeDirectories(suspendDirectory) {
                throw CatalogError(.cannotWriteSuspendFlag, path: suspendDirectory, errorNumber: failure)
            }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw CatalogError(.cannotWriteSuspendFlag, path: path, errorNumber: errno) }
            close(descriptor)
        } else if unlink(path) != 0 && errno != ENOENT {
            throw CatalogError(.cannotWriteSuspendFlag, path: path, errorNumber: errno)
        }
        store.withLock { store in
            var flags = store.suspended
            if suspended { flags.insert(fileName) } else { flags.remove(fileName) }
            commit(&store, records: store.records, suspended: flags)
        }
    }

    /// The stems with a flag in the suspend directory; `current` when it cannot be listed.
    func listSuspended(current: Set<String>) -> Set<String> {
        do {
            guard let names = try DAGDirectory.list(suspendDirectory) else { return [] }
            return Set(names.filter { $0.hasSuffix(".suspend") }.map { String($0.dropLast(".suspend".count)) })
        } catch {
            logger.error("cannot list suspend flags", metadata: ["path": "\(suspendDirectory)", "error": "\(error)"])
            return current
        }
    }

    private func flagPath(_ fileName: String) -> String {
        DAGDirectory.join(suspendDirectory, fileName + ".suspend")
    }
}
