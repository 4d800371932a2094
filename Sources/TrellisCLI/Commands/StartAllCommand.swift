import ArgumentParser
import Foundation

/// `trellis start-all`: everything in one process (DAG-FORMAT §19) — the REST API and the
/// scheduler over one watched catalog.
struct StartAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-all",
        abstract: "Run Trellis: the REST API and the scheduler over the watched DAGs directory.",
        discussion: """
        Serves ./dags (the bundled examples in a fresh checkout) on 127.0.0.1:8080 unless the \
        config says otherwise, and runs the scheduler (see `trellis scheduler`) in the same \
        process: it waits as a standby while another scheduler holds the data directory's lock.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            let setup = try ServerSetup(global: global, configFile: server.configFile, host: server.host, port: server.port)
            try await setup.serve([.api, .scheduler])
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
