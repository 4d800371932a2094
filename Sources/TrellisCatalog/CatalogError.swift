#if canImport(Glibc)
import Glibc
#endif

/// Why a catalog operation failed; names the path and the OS error.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Code: String, Sendable, Hashable {
        /// The DAGs or suspend directory could not be listed.
        case cannotListDirectory
        /// A DAG file could not be read.
        case cannotReadFile
        /// A suspend flag could not be created or removed.
        case cannotWriteSuspendFlag
        /// A file name that cannot name a DAG file or a flag (`..`, a slash, empty).
        case invalidFileName
    }

    /// What failed.
    public var code: Code
    /// The path (or file name) concerned.
    public var path: String
    /// The `errno` of the failing call, when there was one.
    public var errorNumber: Int32?

    /// Creates an error.
    public init(_ code: Code, path: String, errorNumber: Int32? = nil) {
        self.code = code
        self.path = path
        self.errorNumber = errorNumber
    }

    /// The OS error in words (`Permission denied`), when there is one.
    public var reason: String? { errorNumber.map { String(cString: strerror($0)) } }

    /// `cannot read /srv/dags/etl.yaml: Permission denied`.
    public var description: String {
        let what: String
        switch code {
        case .cannotListDirectory: what = "cannot list"
        case .cannotReadFile: what = "cannot read"
        case .cannotWriteSuspendFlag: what = "cannot change the suspend flag"
        case .invalidFileName: what = "invalid DAG file name"
        }
        return reason.map { "\(what) \(path): \($0)" } ?? "\(what) \(path)"
    }
}
