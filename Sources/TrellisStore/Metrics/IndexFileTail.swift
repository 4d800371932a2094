import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// Reads the lines appended to a day index file since the previous read (format §17.2).
///
/// Remembers the file's identity (device, inode) and the offset after the last complete line it
/// returned: an unchanged size costs one `stat` and no read; a file replaced by another (new inode)
/// or shrunk is read again from the start and reported as ``Batch/restarted``. A torn last line
/// (no newline yet) is left for the next read.
struct IndexFileTail: Sendable {
    let path: String
    private(set) var device: UInt64?
    private(set) var inode: UInt64?
    private(set) var offset: Int64

    /// A tail that starts at `offset` of the file as it is now (`0`: the whole file).
    init(path: String, offset: Int64 = 0) {
        self.path = path
        self.offset = offset
    }

    /// A tail that starts at the current end of the file: only later lines are read.
    static func atEnd(of path: String) -> IndexFileTail {
        var tail = IndexFileTail(path: path)
        var info = stat()
        if stat(path, &info) == 0 {
            tail.device = UInt64(info.st_dev)
            tail.inode = UInt64(info.st_ino)
            tail.offset = Int64(info.st_size)
        }
        return tail
    }

    struct Batch {
        /// The file is not the one read before (or shrank): `entries` start at its beginning.
        var restarted = false
        var entries: [RunIndexEntry] = []
    }

    /// The complete lines added since the last call; an empty batch when the file is missing.
    mutating func readNew() throws(StoreError) -> Batch {
        guard let fd = try Posix.openIfExists(path, O_RDONLY, action: "open index") else { return Batch() }
        defer { close(fd) }
        let info = try Posix.status(fd, path: path)
        var batch = Batch()
        let size = Int64(info.st_size)
        if let inode, let device, inode == UInt64(info.st_ino), device == UInt64(info.st_dev), size >= offset {
            if size == offset { return batch }
        } else if inode != nil {
            batch.restarted = true
            offset = 0
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        guard size > offset else { return batch }
        let bytes = try Posix.read(fd, offset: offset, count: Int(size - offset), path: path)
        guard let end = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return batch }
        let complete = Data(bytes[0...end])
        batch.entries = LineScanner.records(RunIndexEntry.self, in: complete)
        offset += Int64(end + 1)
        return batch
    }
}
