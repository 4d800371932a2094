#if canImport(Glibc)
import Glibc
#endif

/// Writes to stdout and stderr with `write(2)`, ignoring failures. Foundation's
/// `FileHandle.write(_:)` traps when the write fails, and a detached run agent's stderr is a log
/// file under `data/`: a full disk must cost the message, never the process.
enum StandardStreams {
    static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    /// One line on stdout, written at once (not buffered: scripts and tests read it live).
    static func line(_ text: String) { out(text + "\n") }
    static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { raw in
                Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
        bytes.removeAll()
    }
}
