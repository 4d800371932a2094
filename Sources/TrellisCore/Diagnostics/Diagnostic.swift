/// One problem found while loading a DAG file: where it is and what is wrong.
///
/// Rendered as `file:line: error: path: message`, the shape compilers use, so editors
/// and terminals can jump to it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a problem is.
    public enum Severity: String, Sendable, Hashable {
        /// The DAG cannot be run.
        case error
        /// The DAG runs, but something is ignored or probably not what the author meant.
        case warning
    }

    /// How serious the problem is.
    public var severity: Severity
    /// The file name the problem is in (`hello.yaml`), if known.
    public var file: String?
    /// The 1-based YAML line, when known.
    public var line: Int?
    /// The field path, e.g. `steps[2].retry_policy.limit`; empty for the whole document.
    public var path: String
    /// What is wrong, in one sentence.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, file: String? = nil, line: Int? = nil, path: String, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    /// `file:line: severity: path: message`, leaving out what is unknown.
    public var description: String {
        var location = ""
        if let file { location += file }
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        var text = location.isEmpty ? "" : location + ": "
        text += severity.rawValue + ": "
        if !path.isEmpty { text += path + ": " }
        return text + message
    }

    /// True for errors.
    public var isError: Bool { severity == .error }
}
