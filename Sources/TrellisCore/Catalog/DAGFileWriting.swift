/// Changes DAG files for the API (API §4.2–§4.12). Every change is visible in the catalog
/// when the call returns (read-your-writes, API §1.2).
public protocol DAGFileWriting: Sendable {
    /// Creates `<dags_dir>/<fileName>.yaml` atomically without replacing an existing file.
    func create(fileName: String, text: String) throws(DAGFileError)
    /// Replaces the file's text atomically (temporary file + rename).
    func replace(fileName: String, text: String) throws(DAGFileError)
    /// Deletes the file and its suspend flag.
    func delete(fileName: String) throws(DAGFileError)
    /// Renames the file (no-replace) and moves its suspend flag.
    func rename(fileName: String, to newFileName: String) throws(DAGFileError)
    /// Sets or clears the suspend flag (§15.3).
    func suspend(fileName: String, _ suspended: Bool) throws(DAGFileError)
}

/// Why a DAG file change failed.
public struct DAGFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case exists
        case notFound = "not_found"
        case io
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
