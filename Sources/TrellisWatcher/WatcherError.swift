#if canImport(Glibc)
import Glibc
#endif

/// Why a ``DirectoryWatcher`` could not be set up. Names the directory and the OS error.
public struct WatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Code: String, Sendable, Hashable {
        /// `inotify_init1` failed (often: too many inotify instances).
        case cannotInitialize
        /// `inotify_add_watch` failed (missing directory, no permission, watch limit reached).
        case cannotWatch
        /// The wake-up channel (`socketpair`) could not be created.
        case cannotCreateWakeChannel
        /// The reader thread could not be started.
        case cannotStartThread
    }

    /// What failed.
    public var code: Code
    /// The watched directory.
    public var path: String
    /// The `errno` (or `pthread_create` result) of the failing call.
    public var errorNumber: Int32

    /// Creates an error.
    public init(_ code: Code, path: String, errorNumber: Int32) {
        self.code = code
        self.path = path
        self.errorNumber = errorNumber
    }

    /// `cannot watch /srv/dags: No such file or directory (errno 2)`.
    public var description: String {
        let what: String
        switch code {
        case .cannotInitialize: what = "cannot create an inotify instance for"
        case .cannotWatch: what = "cannot watch"
        case .cannotCreateWakeChannel: what = "cannot create the wake-up channel for the watcher of"
        case .cannotStartThread: what = "cannot start the watcher thread for"
        }
        return "\(what) \(path): \(String(cString: strerror(errorNumber))) (errno \(errorNumber))"
    }
}
