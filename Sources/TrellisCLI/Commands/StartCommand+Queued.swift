import ArgumentParser
import Foundation
import TrellisCore
import TrellisEngine
import TrellisStore

/// `trellis start --queued --run-id <id> [--claim <token>] <dag-name>` (hidden): the run agent of
/// a queued run that the dispatcher claimed (DAG-FORMAT §14.3, §16.1). The run already exists:
/// its DAG text and params are the ones stored with it (as for a retry), and the agent takes
/// over its only attempt, whose `queued` snapshot becomes `running`.
///
/// Refused (exit 1, run untouched) when the run is unknown or no longer `queued`, and when it
/// was created from a DAG file that is gone from the DAGs directory: deleting a DAG retires its
/// queued runs, and the file's folder is where its relative paths resolve. The dispatcher marks
/// such a run failed with this process's message (a failure before start).
///
/// Fenced (``QueuedStartFence``): once it holds the run lock, the agent starts the run only if
/// it is still `queued` on the same attempt and — with `--claim <token>` — its queue item is
/// still claimed with that token. Otherwise it exits 1 and leaves the run and the queue alone:
/// another agent runs the run, or the dispatcher gave this agent's claim up and claims the run
/// again. While another agent holds the lock and the fence still passes, it tries again for up
/// to ``queuedLockPatience``.
extension StartCommand {
    /// How long a queued run's agent waits for a run lock held by another agent of the run.
    static let queuedLockPatience: Duration = .seconds(5)

    func validateQueued() throws {
        guard let runID else { throw ValidationError("--queued needs --run-id") }
        guard NameRules.isValidRunID(runID) else { throw ValidationError("run ID \"\(runID)\" is invalid") }
        guard NameRules.isValidDAGName(dag) else { throw ValidationError("with --queued, <dag> is the run's DAG name; \"\(dag)\" is not one") }
        if params != nil || !extraParams.isEmpty || labels != nil || dagName != nil || parent != nil || root != nil {
            throw ValidationError("--queued runs a stored run: params, labels, --dag-name, --parent and --root come from it")
        }
        if let claim, !QueueRecord.isValidClaimToken(claim) { throw ValidationError("claim token \"\(claim)\" is invalid") }
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
        request.startGuard = startGuard(ref, queue: current.queue.isEmpty ? ref.name : current.queue,
                                        attemptId: current.attemptId, context: context)
        if !global.quiet { StandardStreams.line(ref.id) }
        let final = try await AgentRunner.run(request, context: context)
        throw ExitCode(final.status.isSuccessful ? 0 : 1)
    }

    /// The fence of this agent, checked under the run lock: the queue item is read only with a
    /// claim token (a read of complete records; the token cannot change while the lock is held).
    private func startGuard(_ ref: RunRef, queue: String, attemptId: String, context: CommandContext) -> RunStartGuard {
        let fence = QueuedStartFence(run: ref, attemptId: attemptId, token: claim)
        let queues = FileQueueStore(dataDirectory: context.dataDirectory, logger: context.logger)
        return RunStartGuard(lockPatience: Self.queuedLockPatience) { latest in
            let item = fence.token == nil ? nil : try queues.state(of: queue).item(ref)
            return fence.refusal(latest: latest, item: item)
        }
    }
}
