#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe that wakes the reader thread out of `poll(2)`.
///
/// A `socketpair` is used because its close-on-exec and non-blocking flags are set atomically
/// at creation (`pipe2` and `eventfd` are not visible through Glibc without a C shim), so no
/// process spawned concurrently by another thread inherits it.
struct WakeChannel: Sendable {
    /// The end the reader polls.
    let readEnd: Int32
    /// The end ``signal()`` writes to.
    let writeEnd: Int32

    /// Creates the pair.
    init(directory: String) throws(WatcherError) {
        var ends: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &ends) == 0 else {
            throw WatcherError(.cannotCreateWakeChannel, path: directory, errorNumber: errno)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// Makes the read end readable. Never blocks; a full buffer already means "wake up".
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Closes both ends.
    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}
