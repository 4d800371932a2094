import ArgumentParser
import Foundation
import TrellisCore
import TrellisEngine

/// `trellis start --queued --run-id <id> <dag-name>` (hidden): the run agent of a queued run
/// that the dispatcher claimed (DAG-FORMAT §14.3, §16.1). The run already exists: its DAG text
/// and params are the ones stored with it (as for a retry), and the agent takes over its only
/// attempt, whose `queued` snapshot becomes `running`.
///
/// Refused (exit 1, run untouched) when the run is unknown or no longer `queued`, and when it
/// was created from a DAG file that is gone from the DAGs directory: deleting a DAG retires its
/// queued runs, and the file's folder is where its relative paths resolve. The dispatcher marks
/// such a run failed with this process's message (a failure before start).
extension StartCommand {
    func validateQueued() throws {
        guard let runID else { throw ValidationError("--queued needs --run-id") }
        guard NameRules.isValidRunID(runID) else { throw ValidationError("run ID \"\(runID)\" is invalid") }
        guard NameRules.isValidDAGName(dag) else { throw ValidationError("with --queued, <dag> is the run's DAG name; \"\(dag)\" is not one") }
        if params != nil || !extraParams.isEmpty || labels != nil || dagName != nil || parent != nil || root != nil {
            throw ValidationError("--queued runs a stored run: params, labels, --dag-name, --parent and --root come from it")
        }
    }

    func runQueued(_ context: CommandContext) async throws -> Never {
        let ref = RunRef(name: dag, id: runID ?? "")
        guard let header = try context.store.header(of: ref), let spec = try context.store.spec(of: ref),
              let current = try context.store.latestSnapshot(of: ref) else {
            throw CLIFailure(1, "no run \(ref.id) of \"\(ref.name)\"")
        }
        guard current.status == .queued else {
            throw CLIFailure(1, "run \(ref.id) of \"\(ref.name)\" is not queued (status: \(current.status.label))")
        }
        if let stem = header.sourceFileName,
           ![".yaml", ".yml"].contains(where: { FileManager.default.fileExists(atPath: context.dagsDirectory + "/" + stem + $0) }) {
            throw CLIFailure(1, "the DAG file \(stem).yaml of run \(ref.id) no longer exists in \(context.dagsDirectory)")
        }
        var request = try StoredRunRequest.make(ref, header: header, spec: spec, context: context, global: global)
        // A queued retry (a DAG on a global queue): the attempt that runs is a retry of the
        // node states the queued attempt carries (§13.1).
        if current.triggerType == .retry { request.retryOf = current }
        if !global.quiet { StandardStreams.line(ref.id) }
        let final = try await AgentRunner.run(request, context: context)
        throw ExitCode(final.status.isSuccessful ? 0 : 1)
    }
}
