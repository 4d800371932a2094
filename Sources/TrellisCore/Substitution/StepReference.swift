/// What `${id.stdout}`, `${id.stderr}` and `${id.exit_code}` (or `${id.exitCode}`) resolve to for
/// a step that declares `id`.
///
/// `stdout` and `stderr` are the **paths** of the step's log files, not their contents. A missing
/// value (the step has not run, or has no such log) leaves the reference untouched.
public struct StepReference: Sendable, Hashable {
    /// The path of the step's stdout log file.
    public var stdoutPath: String?
    /// The path of the step's stderr log file.
    public var stderrPath: String?
    /// The step's exit code, once it has ended.
    public var exitCode: Int?

    /// Creates a step reference.
    public init(stdoutPath: String? = nil, stderrPath: String? = nil, exitCode: Int? = nil) {
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        self.exitCode = exitCode
    }

    /// The names a reference may use after `id.`.
    static let properties: Set<String> = ["stdout", "stderr", "exit_code", "exitCode"]

    /// The text for `property`, or `nil` when it is not a step property or has no value.
    func value(of property: String) -> String? {
        switch property {
        case "stdout": stdoutPath
        case "stderr": stderrPath
        case "exit_code", "exitCode": exitCode.map(String.init)
        default: nil
        }
    }
}
