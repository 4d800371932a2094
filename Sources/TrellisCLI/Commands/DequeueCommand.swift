import ArgumentParser
import Foundation
import TrellisCore

/// `trellis dequeue <queue> [--dag-run <dag>:<id>]`: removes a queued run (DAG-FORMAT §14.4);
/// it becomes `aborted` with error "dequeued".
struct DequeueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dequeue",
        abstract: "Remove a queued run from its queue (the head of the queue by default).",
        discussion: "The run becomes aborted with error \"dequeued\". A run the dispatcher already claimed cannot be dequeued: stop it instead."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("dag-run"), help: "The run to dequeue, as <dag-name>:<run-id> (default: the queue's head).")
    var dagRun: String?

    @Argument(help: "The queue: a global queue's name, or a DAG's name for its own queue.")
    var queue: String

    func validate() throws {
        guard NameRules.isValidDAGName(queue) else { throw ValidationError("\"\(queue)\" is not a queue name") }
    }

    func run() throws {
        do {
            let context = try CommandContext(global)
            let target = try dagRun.map { try RunRefParsing.parse($0, option: "--dag-run") }
            if let target, !NameRules.isValidDAGName(target.name) || !NameRules.isValidRunID(target.id) {
                throw CLIFailure(2, "--dag-run must be <dag-name>:<run-id>")
            }
            let snapshot: RunSnapshot
            do {
                snapshot = try context.queueing(globalQueues: []).dequeue(from: queue, run: target)
            } catch {
                throw CLIFailure(1, error.message)
            }
            if !global.quiet { print("dequeued: \(snapshot.run.name) \(snapshot.run.id)") }
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
