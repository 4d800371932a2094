#if canImport(Glibc)
import Glibc
#endif

/// An inotify instance watching one directory (non-recursively). A value type holding only
/// descriptor numbers; the ``DirectoryWatcher`` decides when it is closed.
struct InotifyDescriptor: Sendable {
    /// The events watched: entries appearing, finished, moved in or out, deleted, and the
    /// directory itself going away.
    static let watchMask = UInt32(bitPattern: IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM
        | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)

    /// How a drain ended when it did not end with `EAGAIN`.
    struct ReadFailure: Error, Sendable {
        var errorNumber: Int32
    }

    /// The inotify descriptor (non-blocking, close-on-exec).
    let descriptor: Int32
    /// The watched directory.
    let directory: String

    /// Creates the instance; no watch yet.
    init(directory: String) throws(WatcherError) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw WatcherError(.cannotInitialize, path: directory, errorNumber: errno) }
        self.descriptor = descriptor
        self.directory = directory
    }

    /// Watches the directory; returns the watch descriptor.
    func addWatch() throws(WatcherError) -> Int32 {
        let watch = inotify_add_watch(descriptor, directory, Self.watchMask | UInt32(IN_ONLYDIR))
        guard watch >= 0 else { throw WatcherError(.cannotWatch, path: directory, errorNumber: errno) }
        return watch
    }

    /// Ends a watch; the kernel then queues an `IN_IGNORED` record for it.
    func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// Reads every queued record until `EAGAIN`, handing each to `handle`.
    func drain(into buffer: inout [UInt8], _ handle: (InotifyRecord) -> Void) throws(ReadFailure) {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                let records = buffer.withUnsafeBytes { InotifyRecord.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                records.forEach(handle)
                continue
            }
            let failure = count == 0 ? EIO : errno
            if failure == EAGAIN || failure == EWOULDBLOCK { return }
            if failure == EINTR { continue }
            throw ReadFailure(errorNumber: failure)
        }
    }

    /// Closes the instance (and with it every watch).
    func close() {
        _ = Glibc.close(descriptor)
    }
}
