import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import TrellisCore

/// The queues on plain files (§14.5): `data/queues/<queue>.jsonl`, one JSON record per line.
///
/// Every write takes an exclusive `flock` on the file (``LockedAppendFile``, which also cuts a
/// torn last record left by a crash) and fsyncs before the lock is released. Readers take no
/// lock and ignore bytes after the last newline. When a write leaves the file over
/// ``compactionThreshold`` and the records of the live items would take at most half of it, the
/// file is rewritten to those records under the lock: temp file, fsync, `rename`. A writer that
/// waited on the old file sees it was replaced and locks the new one.
public final class FileQueueStore: QueueStore {
    /// The `queues/` folder.
    public let directory: String
    /// Size above which a write considers compacting the file (1 MiB).
    public let compactionThreshold: Int64
    let logger: Logger
    /// Per queue file: the size at which compaction was last found not worth it; checked again
    /// only once the file has grown by half of that since.
    private let declined = Mutex<[String: Int64]>([:])

    /// - Parameters:
    ///   - dataDirectory: the `data/` folder; queue files go in its `queues/` folder (created on
    ///     first write).
    ///   - compactionThreshold: file size above which a write considers compacting (tests lower it).
    public init(dataDirectory: String, compactionThreshold: Int64 = 1 << 20, logger: Logger) {
        let absolute = dataDirectory.hasPrefix("/") ? dataDirectory
            : FileManager.default.currentDirectoryPath + "/" + dataDirectory
        directory = (absolute as NSString).standardizingPath + "/queues"
        self.compactionThreshold = compactionThreshold
        self.logger = logger
    }

    /// The file of `queue`; a name that is not one path component → `invalid`.
    public func path(of queue: String) throws(StoreError) -> String {
        guard RunLayout.isSafeName(queue) else { throw StoreError(.invalid, "\"\(queue)\" is not a queue name") }
        return directory + "/" + queue + ".jsonl"
    }

    // MARK: - QueueStore

    public func append(_ record: QueueRecord, to queue: String) throws(StoreError) {
        let path = try path(of: queue)
        var file = try LockedAppendFile(path: path, logger: logger)
        try file.append(StoreJSON.line(record, path: path))
        try Posix.sync(file.fd, path: path)
        compactIfNeeded(file, path: path, state: nil)
        file.close()
    }

    public func update<Result>(_ queue: String, _ decide: (QueueState) throws -> (records: [QueueRecord], result: Result)) throws -> Result {
        let path = try path(of: queue)
        var file = try LockedAppendFile(path: path, logger: logger)
        let state = QueueState(folding: try Self.records(fd: file.fd, size: file.size, path: path))
        let (records, result) = try decide(state)
        guard !records.isEmpty else {
            file.close()
            return result
        }
        var lines = Data()
        for record in records { lines.append(try StoreJSON.line(record, path: path)) }
        try file.append(lines)
        try Posix.sync(file.fd, path: path)
        compactIfNeeded(file, path: path, state: state.applying(records))
        file.close()
        return result
    }

    public func state(of queue: String) throws(StoreError) -> QueueState {
        let path = try path(of: queue)
        guard let data = try Posix.readFile(path) else { return QueueState() }
        return QueueState(folding: LineScanner.records(QueueRecord.self, in: data))
    }

    public func queueNames() throws(StoreError) -> [String] {
        try Posix.list(directory)
            .filter { $0.hasSuffix(".jsonl") }
            .map { String($0.dropLast(".jsonl".count)) }
            .filter { RunLayout.isSafeName($0) }
            .sorted()
    }

    // MARK: - Compaction

    /// The complete records of the first `size` bytes of an open queue file.
    private static func records(fd: Int32, size: Int64, path: String) throws(StoreError) -> [QueueRecord] {
        guard size > 0 else { return [] }
        return LineScanner.records(QueueRecord.self, in: Data(try Posix.read(fd, offset: 0, count: Int(size), path: path)))
    }

    /// Rewrites the locked file to the records of its live items when it is over the threshold
    /// and they take at most half of it. Best effort: the appended records are already durable,
    /// so a failure only leaves the longer file.
    private func compactIfNeeded(_ file: borrowing LockedAppendFile, path: String, state known: QueueState?) {
        let size = file.size
        guard size > compactionThreshold else { return }
        if let last = declined.withLock({ $0[path] }), size < last + last / 2 { return }
        do {
            let state = try known ?? QueueState(folding: Self.records(fd: file.fd, size: size, path: path))
            var compacted = Data()
            for record in state.records { compacted.append(try StoreJSON.line(record, path: path)) }
            guard Int64(compacted.count) * 2 <= size else {
                declined.withLock { $0[path] = size }
                return
            }
            try Posix.replaceFile(path, with: compacted)
            declined.withLock { $0[path] = nil }
            logger.info("compacted a queue file", metadata: [
                "path": "\(path)", "bytes.before": "\(size)", "bytes.after": "\(compacted.count)", "items": "\(state.count)",
            ])
        } catch {
            logger.warning("cannot compact a queue file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
