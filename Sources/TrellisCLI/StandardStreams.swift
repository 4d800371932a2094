#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// Writes to stdout and stderr with `write(2)`, ignoring failures. Foundation's
/// `FileHandle.write(_:)` traps when the write fails, and a detached run agent's stderr is a log
/// file under `data/`: a full disk must cost the message, never the process.
enum StandardStreams {
    static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    /// One line on stdout, written at once (not buffered: scripts and tests read it live).
    static func line(_ text: String) { out(text + "\n") }
    static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        Array(text.utf8).withUnsafeBytes { _ = FileWrites.writeAll(fd, $0) }
    }
}
