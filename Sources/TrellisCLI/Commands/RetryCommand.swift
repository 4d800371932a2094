import ArgumentParser
import Foundation
import TrellisCore
import TrellisEngine
import TrellisStore

/// `trellis retry <dag> -r <id> [--step name]` (§13.1): a new attempt of the same run, with the
/// DAG text and params stored with it.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Retry a finished run: re-run failed and aborted steps and everything after them.",
        discussion: "Keeps the run ID, adds an attempt, and uses the DAG text stored with the run. With --step, only that step runs again."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("r"), .customLong("run-id")], help: "The run to retry.")
    var runID: String

    @Option(name: .customLong("step"), help: "Re-run only this step (with a fresh retry budget).")
    var step: String?

    @Argument(help: "A DAG's file name, DAG name or path.")
    var dag: String

    func run() async throws {
        do {
            let context = try CommandContext(global)
            let ref = try context.runRef(dag: dag, runID: runID)
            _ = try? DeadRunRepairer(store: context.store).repairIfDead(ref)
            guard let header = try context.store.header(of: ref), let spec = try context.store.spec(of: ref),
                  let previous = try context.store.latestSnapshot(of: ref) else {
                throw CLIFailure(1, "no run \(ref.id) of \"\(ref.name)\"")
            }
            let lock = try context.store.tryLock(ref)
            lock?.release()
            if previous.status.isActive || lock == nil {
                throw CLIFailure(1, "run \(ref.id) is still active (\(previous.status.label)); stop it first")
            }
            var request = try StoredRunRequest.make(ref, header: header, spec: spec, context: context, global: global)
            if let step, request.dag.step(named: step) == nil { throw CLIFailure(2, "no step \"\(step)\" in \(ref.name)") }
            request.retryOf = previous
            request.retryStep = step
            if !global.quiet { StandardStreams.line(ref.id) }
            let final = try await AgentRunner.run(request, context: context)
            throw ExitCode(final.status.isSuccessful ? 0 : 1)
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
