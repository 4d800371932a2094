import ArgumentParser
import Foundation

/// The `trellis` command: every subcommand hangs off it.
public struct TrellisCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trellis",
        abstract: "Trellis: a workflow orchestrator that runs DAGs of shell steps from YAML files.",
        discussion: """
        DAG files live in the DAGs directory (default ./dags). Run history and queues are kept \
        as files under the data directory (default ./data).
        """,
        version: TrellisVersion.current,
        subcommands: [ValidateCommand.self, StartCommand.self, EnqueueCommand.self, DequeueCommand.self, ServerCommand.self, SchedulerCommand.self, StartAllCommand.self, StatusCommand.self, StopCommand.self, RetryCommand.self, CleanupCommand.self, VersionCommand.self, BenchSeedCommand.self]
    )

    public init() {}

    /// Parses the command line and runs the chosen command. Usage errors exit 2 (DAG-FORMAT
    /// §19), not ArgumentParser's default 64.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Self.exit()
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardStreams.err(fullMessage(for: error) + "\n")
                Self.exit(withError: ExitCode(2))
            }
            Self.exit(withError: error)
        }
    }
}

/// The version string printed by `trellis version` and `--version`.
public enum TrellisVersion {
    public static let current = "0.1.0"
}
