import Dispatch
import Foundation
import TrellisCore
import TrellisEngine

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
            if !context.global.quiet {
                var line = "\(final.run.name) \(final.run.id): \(final.status.label)"
                if let error = final.error { line += " (\(error))" }
                context.printError(line)
            }
            return final
        } catch {
            throw CLIFailure(1, "\(error)")
        }
    }
}
