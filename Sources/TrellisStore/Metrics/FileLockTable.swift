import Foundation
import TrellisCore
#if canImport(Glibc)
import Glibc
#endif

/// The `flock` locks held on this machine, from `/proc/locks`: tells whether some process holds
/// the lock of a file **without taking it** (a probe that took the lock, even briefly, could make
/// a run agent or a scheduler fail its own non-blocking attempt).
///
/// Entries are matched by inode number only: on overlay file systems the device that
/// `/proc/locks` shows differs from the one `stat` reports. Waiters (`->` lines) do not count.
public struct FileLockTable: Sendable, Hashable {
    /// Inode numbers of files with a held `FLOCK` lock.
    public let lockedInodes: Set<UInt64>

    public init(lockedInodes: Set<UInt64>) {
        self.lockedInodes = lockedInodes
    }

    /// Parses the text of `/proc/locks` (`1: FLOCK  ADVISORY  WRITE 123 fe:00:5311185 0 EOF`).
    public init(parsing text: String) {
        var inodes = Set<UInt64>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "N:", kind, mode, access, pid, maj:min:inode, ... — waiters have "->" after "N:".
            guard fields.count >= 6, fields[1] == "FLOCK" else { continue }
            let device = fields[5].split(separator: ":")
            guard device.count == 3, let inode = UInt64(device[2]) else { continue }
            inodes.insert(inode)
        }
        lockedInodes = inodes
    }

    /// The current table; empty when `path` cannot be read.
    public static func read(path: String = "/proc/locks") -> FileLockTable {
        guard case .success(let data) = FileBytes.read(path) else { return FileLockTable(lockedInodes: []) }
        return FileLockTable(parsing: String(decoding: data, as: UTF8.self))
    }

    /// Whether the file at `path` exists and some open file description holds a `flock` on it.
    public func isLocked(path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return lockedInodes.contains(UInt64(info.st_ino))
    }
}
