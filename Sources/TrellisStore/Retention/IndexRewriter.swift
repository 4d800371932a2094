import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import TrellisCore

/// Removes runs' lines from a day index (§17.3): under the file's lock, the kept lines go to a
/// temp file that is fsynced and renamed over the index (or the index is removed when nothing
/// is left). Appenders check after locking that they hold the file now at the path, so none
/// writes into the replaced one.
struct IndexRewriter {
    let logger: Logger

    /// - Parameter dagName: when set, only lines of that DAG name go (the global index holds
    ///   every DAG's runs, and run IDs are unique per DAG name only).
    func remove(runIds: Set<String>, of dagName: String? = nil, from path: String) throws(StoreError) {
        guard Posix.exists(path), !runIds.isEmpty else { return }
        let file = try LockedAppendFile(path: path, logger: logger)
        let bytes = try Posix.read(file.fd, offset: 0, count: Int(file.size), path: path)
        let decoder = StoreJSON.decoder()
        var kept = Data()
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let entry = StoreJSON.decodeLine(RunIndexEntry.self, Data(line), decoder: decoder),
                  !(runIds.contains(entry.runId) && (dagName == nil || entry.dag == dagName)) else { continue }
            kept.append(contentsOf: line)
            kept.append(UInt8(ascii: "\n"))
        }
        if kept.isEmpty {
            if unlink(path) != 0 && errno != ENOENT { throw Posix.failure("remove index", path) }
            try Posix.syncDirectory((path as NSString).deletingLastPathComponent)
        } else {
            try Posix.replaceFile(path, with: kept)
        }
        file.close()
    }
}
