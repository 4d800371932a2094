import ArgumentParser
import Foundation

/// `trellis scheduler`: cron ticks, queue dispatch and the dead-run sweep (DAG-FORMAT §15, §19).
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the scheduler: start DAGs on their schedules.",
        discussion: """
        Takes the scheduler lock data/scheduler/scheduler.lock (a second scheduler on the same \
        data directory waits as a standby until the first exits), then evaluates every DAG's \
        schedule at each minute boundary and starts due runs as detached run agents (DAGs on a \
        global queue are enqueued). Prints "trellis scheduler is the leader" once it holds the \
        lock. SIGTERM or Ctrl-C stops it; runs it started keep running.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("c"), .customLong("config")],
            help: "The config file (default: $TRELLIS_CONFIG, else <home>/trellis.yaml if it exists).")
    var configFile: String?

    func run() async throws {
        do {
            let setup = try ServerSetup(global: global, configFile: configFile, host: nil, port: nil)
            try await setup.serve(.scheduler)
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
