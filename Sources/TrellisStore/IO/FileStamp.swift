#if canImport(Glibc)
import Glibc
#endif

/// What `stat(2)` says of a path that changes whenever the file or folder does: device, inode,
/// size and modification time in nanoseconds. A missing path has a stamp too, so "still
/// missing" validates as unchanged.
struct FileStamp: Hashable, Sendable {
    var path: String
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var size: Int64 = -1
    var modifiedSeconds: Int = 0
    var modifiedNanoseconds: Int = 0

    init(path: String) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }

    /// Whether the path still looks exactly like this.
    var isCurrent: Bool { FileStamp(path: path) == self }

    /// Whether the modification time is at least `margin` seconds old by the real clock. File
    /// times come from the kernel's coarse clock (a tick of a few ms), so a folder changed
    /// again within the tick of the stamp keeps its time: only an older stamp proves the
    /// listing read after it is complete.
    func isSettled(margin: Int = 1) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return size < 0 || Int(now.tv_sec) - modifiedSeconds > margin
    }
}
