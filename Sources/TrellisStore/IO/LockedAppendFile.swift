import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import TrellisCore

/// A JSONL file opened for appending and held under an exclusive `flock`.
///
/// Opening checks that the locked descriptor is still the file at the path (a rewrite replaces
/// the file by `rename`, and a writer that waited on the old one must not append to it), and
/// the writer truncates a torn tail (bytes after the last newline) before appending, so every
/// record stays one whole line.
struct LockedAppendFile: ~Copyable {
    let fd: Int32
    let path: String
    /// The size after repairing the tail: the offset where the next line goes.
    private(set) var size: Int64
    private var locked = true

    /// Opens (creating when missing, with its folder) and locks `path`, then repairs its tail.
    init(path: String, logger: Logger) throws(StoreError) {
        let (fd, size) = try Self.openLocked(path)
        do {
            self.size = try Self.repairTail(fd: fd, size: size, path: path, logger: logger)
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
        self.path = path
    }

    /// Opens and locks the file now at `path`, retrying when it was replaced meanwhile.
    private static func openLocked(_ path: String) throws(StoreError) -> (Int32, Int64) {
        let flags = O_RDWR | O_APPEND | O_CREAT
        for _ in 0..<8 {
            var opened = try Posix.openIfExists(path, flags, action: "open file for appending")
            if opened == nil {
                try Posix.makeDirectories((path as NSString).deletingLastPathComponent)
                opened = try Posix.openIfExists(path, flags, action: "open file for appending")
            }
            guard let fd = opened else { continue }
            do {
                try Posix.lock(fd, LOCK_EX, path: path)
                let held = try Posix.status(fd, path: path)
                var current = stat()
                if stat(path, &current) == 0, current.st_ino == held.st_ino, current.st_dev == held.st_dev {
                    return (fd, Int64(held.st_size))
                }
            } catch {
                Glibc.close(fd)
                throw error
            }
            Glibc.close(fd)
        }
        throw StoreError(.io, "cannot open file for appending: it keeps being replaced or removed", path: path)
    }

    /// Truncates bytes after the last newline (a record torn by a crash); returns the new size.
    private static func repairTail(fd: Int32, size: Int64, path: String, logger: Logger) throws(StoreError) -> Int64 {
        guard size > 0 else { return 0 }
        let last = try Posix.read(fd, offset: size - 1, count: 1, path: path)
        guard last.first != UInt8(ascii: "\n") else { return size }
        let keep = try LineScanner(fd: fd, path: path).lastNewline(before: size).map { $0 + 1 } ?? 0
        guard ftruncate(fd, off_t(keep)) == 0 else { throw Posix.failure("truncate a torn record", path) }
        logger.warning("truncated a torn record", metadata: ["path": "\(path)", "bytes": "\(size - keep)"])
        return keep
    }

    /// The last complete line that decodes as `T`, before the append.
    func lastRecord<T: Decodable>(_ type: T.Type) throws(StoreError) -> T? {
        try LineScanner(fd: fd, path: path).lastRecord(type, size: size)
    }

    /// Appends `line` (which ends with a newline) with one `write(2)`.
    mutating func append(_ line: Data) throws(StoreError) {
        try Posix.writeOnce(fd, line, path: path, sizeBefore: size)
        size += Int64(line.count)
    }

    /// Unlocks and returns the descriptor, which the caller now owns (to fsync or close).
    consuming func unlock() -> Int32 {
        let fd = fd
        _ = flock(fd, LOCK_UN)
        locked = false
        return fd
    }

    /// Unlocks and closes.
    consuming func close() {}

    deinit {
        if locked { Glibc.close(fd) }
    }
}
