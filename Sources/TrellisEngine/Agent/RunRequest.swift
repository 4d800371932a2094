import Foundation
import TrellisCore

/// Everything a run agent needs to execute one attempt of a run.
public struct RunRequest: Sendable {
    /// The DAG, loaded from the text stored with the run.
    public var dag: DAG
    /// The run header (already created in the store).
    public var header: RunHeader
    /// Params resolved against the DAG's definitions (eval defaults still pending).
    public var params: ResolvedParams
    /// Directory of the DAG file, for relative `working_dir` and dotenv files.
    public var dagDirectory: String
    /// The filtered host environment comes from this (§5.2).
    public var hostEnvironment: [String: String]
    /// Extra host variables let through (config `env_passthrough`).
    public var envPassthrough: [String] = []
    /// `TRELLIS_DEFAULT_SHELL` / config `default_shell`, as argv.
    public var defaultShell: [String]?
    /// For a retry: the previous attempt's snapshot and, with `--step`, the one step to re-run.
    public var retryOf: RunSnapshot?
    /// The run's first snapshot as this process has just stored it (``RunWriter/createRun``):
    /// the agent starts from it instead of reading it back and decoding it again. Nil for a run
    /// another process created (a queued run), which is read from the store.
    public var created: RunSnapshot?
    public var retryStep: String?
    /// How to start a sub-DAG run agent (the `trellis` binary and global arguments).
    public var subDAGLauncher: SubDAGLaunchConfig?
    /// For an agent that may start the run only in a given state (a queued run's agent, fenced
    /// by its claim): checked under the run lock before anything is written.
    public var startGuard: RunStartGuard?

    public init(dag: DAG, header: RunHeader, params: ResolvedParams, dagDirectory: String,
                hostEnvironment: [String: String]) {
        self.dag = dag
        self.header = header
        self.params = params
        self.dagDirectory = dagDirectory
        self.hostEnvironment = hostEnvironment
    }
}

/// How the agent starts sub-DAG runs: another `trellis start` process.
public struct SubDAGLaunchConfig: Sendable {
    /// Absolute path of the `trellis` executable.
    public var executable: String
    /// Arguments placed after the subcommand (e.g. `--home`, `--dags`, `--data`).
    public var globalArguments: [String]
    /// Where DAG files are looked up by name.
    public var dagsDirectory: String

    public init(executable: String, globalArguments: [String], dagsDirectory: String) {
        self.executable = executable
        self.globalArguments = globalArguments
        self.dagsDirectory = dagsDirectory
    }
}

/// The stores and the clock the agent writes through.
public struct RunAgentDependencies: Sendable {
    public var writer: any RunWriter
    public var reader: any RunReader
    public var locking: any RunLocking
    public var files: any RunFiles
    public var now: @Sendable () -> Date
    /// How long a batched state change may wait to be written with the ones after it; zero
    /// writes every change at once. Synced records (the first `running`, the final status)
    /// never wait.
    public var recordWindow: Duration

    public init(writer: any RunWriter, reader: any RunReader, locking: any RunLocking, files: any RunFiles,
                now: @escaping @Sendable () -> Date = { Date() }, recordWindow: Duration = .milliseconds(5)) {
        self.writer = writer
        self.reader = reader
        self.locking = locking
        self.files = files
        self.now = now
        self.recordWindow = recordWindow
    }
}

/// Why the agent could not run the attempt at all.
public struct RunAgentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
