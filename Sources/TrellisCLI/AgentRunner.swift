import Dispatch
import Foundation
import TrellisCore
import TrellisEngine
import TrellisStore

/// Runs a run agent in this process, turning SIGTERM and SIGINT into a clean stop.
enum AgentRunner {
    static func run(_ request: RunRequest, context: CommandContext) async throws -> RunSnapshot {
        ProcessHygiene.becomeChildSubreaper()
        let store = context.store
        // §17.3: a run agent applies its DAG's retention when it starts (never to active runs).
        if request.header.isRoot {
            _ = store.deleteRuns(dagName: request.dag.name, olderThanDays: request.dag.histRetentionDays, now: Date(), dryRun: false)
        }
        let dependencies = RunAgentDependencies(writer: store, reader: store, locking: store, files: store)
        let agent = RunAgent(request: request, dependencies: dependencies, logger: context.logger)
        let sources = [SIGTERM, SIGINT].map { signalNumber -> DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: { @Sendable in agent.requestStop() })
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        do {
            let final = try await agent.run()
            try? store.flush()
            releaseSlot(of: request.header, context: context)
            if !context.global.quiet {
                var line = "\(final.run.name) \(final.run.id): \(final.status.label)"
                if let error = final.error { line += " (\(error))" }
                context.printError(line)
            }
            return final
        } catch {
            releaseSlot(of: request.header, context: context)
            throw CLIFailure(1, "\(error)")
        }
    }

    /// §14.2: a root run that ended frees its queue slot at once by appending `done` to its
    /// queue file, which also wakes the dispatcher. Direct starts occupy slots too, so they append
    /// it as well — but only while the queue holds items (runs waiting for a slot), so that the
    /// queue files of DAGs that are only ever started directly do not grow with every run.
    /// Decided under the queue file's lock on the run's latest snapshot
    /// (``QueueStore/releaseSlot(of:in:reader:at:onlyWhileQueueHoldsItems:)``): nothing is
    /// appended while the run is active — an agent that could not take the lock of a run another
    /// agent runs must not free that run's slot, and a retry queued the moment the run ended has
    /// replaced its item already. Best effort: the dispatcher and the dead-run sweep settle a run
    /// whose `done` is missing.
    static func releaseSlot(of header: RunHeader, context: CommandContext) {
        guard header.isRoot else { return }
        let queue = header.queue.isEmpty ? header.run.name : header.queue
        let queues = FileQueueStore(dataDirectory: context.dataDirectory, logger: context.logger)
        guard let path = try? queues.path(of: queue), FileManager.default.fileExists(atPath: path) else { return }
        do {
            try queues.releaseSlot(of: header.run, in: queue, reader: context.store, at: Date(), onlyWhileQueueHoldsItems: true)
        } catch {
            context.logger.warning("cannot free the run's queue slot", metadata: [
                "dag.name": "\(header.run.name)", "run.id": "\(header.run.id)", "queue": "\(queue)", "error": "\(error)",
            ])
        }
    }
}
