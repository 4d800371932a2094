import ArgumentParser
import Foundation

/// `trellis start-all`: everything in one process (DAG-FORMAT §19) — today the watched catalog
/// and the REST API; the scheduler (cron ticks, queue dispatch, dead-run sweep) joins it with
/// the scheduler issue.
struct StartAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-all",
        abstract: "Run Trellis: the REST API over the watched DAGs directory (the scheduler joins later).",
        discussion: """
        Serves ./dags (the bundled examples in a fresh checkout) on 127.0.0.1:8080 unless the \
        config says otherwise. Cron schedules and queued runs are not dispatched yet: that is \
        the scheduler, which `start-all` will include.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            let setup = try ServerSetup(global: global, configFile: server.configFile, host: server.host, port: server.port)
            try await setup.serve()
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
