import ArgumentParser
import Foundation
import TrellisCore
import TrellisStore

/// `trellis enqueue <dag> [-- params]`: persists a `queued` run in its queue (DAG-FORMAT §14.3);
/// the scheduler's dispatcher starts it when the queue has a free slot.
struct EnqueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Queue a run of a DAG; the scheduler starts it when its queue has a free slot.",
        discussion: """
        Prints the run ID. The run waits with status queued until `trellis scheduler` (or \
        `start-all`) dispatches it; `trellis dequeue` removes it. The queue is the DAG's \
        `queue:` or its own queue (named after the DAG); -u picks a global queue declared in \
        the config. Params as for `trellis start`.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("c"), .customLong("config")], help: "The config file (default: $TRELLIS_CONFIG, else <home>/trellis.yaml if it exists).")
    var configFile: String?

    @Option(name: [.customShort("p"), .customLong("params")], help: "Params as one string (NAME=value …) or JSON.")
    var params: String?

    @Option(name: [.customShort("r"), .customLong("run-id")], help: "The run ID (default: a new UUID v7).")
    var runID: String?

    @Option(name: [.customShort("u"), .customLong("queue")], help: "A global queue declared in the config (default: the DAG's queue).")
    var queue: String?

    @Argument(help: "A path to a YAML file, or a DAG's file name or DAG name in the DAGs directory.")
    var dag: String

    @Argument(parsing: .postTerminator, help: "Params after --: NAME=value or positional values.")
    var extraParams: [String] = []

    func validate() throws {
        if let runID, !NameRules.isValidRunID(runID) {
            throw ValidationError("run ID \"\(runID)\" is invalid: use 1-64 characters of letters, digits, \"-\" and \"_\"")
        }
        if params != nil && !extraParams.isEmpty {
            throw ValidationError("give params either with -p or after --, not both")
        }
    }

    func run() throws {
        do {
            let context = try CommandContext(global)
            let config = try CLIConfig.load(global: global, configFile: configFile)
            let loaded = try context.loadDAG(dag)
            let overrides = try ParamOverrideParsing.overrides(text: params, arguments: extraParams)
            let resolved: ResolvedParams
            switch ParamResolver.resolve(loaded.dag.params, overrides: overrides) {
            case .success(let value): resolved = value
            case .failure(let errors): throw CLIFailure(2, errors.errors.map(\.message).joined(separator: "\n"))
            }
            let queueing = context.queueing(globalQueues: config.queues)
            let request = EnqueueRequest(dag: loaded.dag, spec: loaded.text, runID: runID, params: resolved,
                                         queue: queue, sourceFileName: loaded.fileStem)
            let snapshot: RunSnapshot
            do {
                snapshot = try queueing.enqueue(request)
            } catch {
                switch error.code {
                case .invalidQueue, .runExists: throw CLIFailure(2, error.message)
                default: throw CLIFailure(1, error.message)
                }
            }
            if !global.quiet { StandardStreams.line(snapshot.run.id) }
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}

extension CommandContext {
    /// Enqueue and dequeue over this context's store and `data/queues`.
    func queueing(globalQueues: [QueueConfig]) -> RunQueueing {
        RunQueueing(reader: store, writer: store, queues: FileQueueStore(dataDirectory: dataDirectory, logger: logger),
                    globalQueues: globalQueues)
    }
}
