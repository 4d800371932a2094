/// Everything needed to start one step process.
///
/// The child runs `executable` with `arguments` (argv[0] is `executable` as given) and exactly
/// `environment`: nothing is inherited from the launching process. It gets its own process group,
/// stdin from `/dev/null`, and stdout and stderr written straight to files (§6.3).
public struct ProcessSpec: Sendable {
    /// The program: a path containing `/` is used as is (relative to `workingDirectory`),
    /// a bare name is looked up in the `PATH` of `environment`.
    public var executable: String
    /// The arguments after argv[0].
    public var arguments: [String]
    /// The complete environment of the child, in order; names must not contain `=`.
    public var environment: [(String, String)]
    /// The directory the child starts in; empty means the launcher's own directory.
    public var workingDirectory: String
    /// The file that receives stdout; created with mode 0644 when missing.
    public var stdoutPath: String
    /// The file that receives stderr; the same path as `stdoutPath` shares one open file.
    public var stderrPath: String
    /// Appends to the output files when true, truncates them when false.
    public var appendOutput: Bool
    /// Starts the child in a new session (`setsid`) with no parent-death signal, so it
    /// outlives the launcher: for run agents started by the server or the scheduler (§16.1).
    /// The launcher still reaps it if it ends first, so no zombie remains.
    public var detached = false
    /// Step logs (§6.3): the output files are made when the first byte arrives, so a silent
    /// process leaves none. The child writes into pipes that the launcher copies into the files
    /// (appending); needs `appendOutput`. Without it the files are opened before the child starts.
    public var createsOutputOnFirstByte = false

    /// Creates a specification; output goes to `/dev/null` unless paths are given.
    public init(
        executable: String,
        arguments: [String] = [],
        environment: [(String, String)] = [],
        workingDirectory: String = "",
        stdoutPath: String = "/dev/null",
        stderrPath: String = "/dev/null",
        appendOutput: Bool = false
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
        self.appendOutput = appendOutput
    }
}
