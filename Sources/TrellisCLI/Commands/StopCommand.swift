import ArgumentParser
import Foundation
import TrellisCore
import TrellisStore

/// `trellis stop <dag> [-r id]`: stops that run, or every running run of the DAG (§10.2).
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a running run (or every running run of a DAG).",
        discussion: "Writes the run's cancel-request file and sends SIGTERM to its run agent. Exits 1 if nothing is running."
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var target: RunTarget

    func run() throws {
        do {
            let context = try CommandContext(global)
            let name = context.dagName(target.dag)
            var targets: [RunRef] = []
            if let runID = target.runID {
                targets = [RunRef(name: name, id: runID)]
            } else {
                var cursor: String?
                repeat {
                    let page = try context.store.runs(dagName: name, limit: 200, cursor: cursor)
                    targets += page.entries.filter { $0.status == .running }.map(\.run)
                    cursor = page.nextCursor
                } while cursor != nil && targets.count < 1000
            }
            var stopped = 0
            for ref in targets {
                _ = try? DeadRunRepairer(store: context.store).repairIfDead(ref)
                if target.runID != nil, try context.store.latestSnapshot(of: ref)?.status == .queued {
                    // Stopping a queued run is a dequeue (§10.2, §14.4).
                    do {
                        _ = try context.queueing(globalQueues: []).dequeue(ref)
                    } catch {
                        throw CLIFailure(1, error.message)
                    }
                    if !global.quiet { print("dequeued: \(ref.name) \(ref.id)") }
                    stopped += 1
                    continue
                }
                guard let snapshot = try context.store.latestSnapshot(of: ref), snapshot.status == .running else {
                    if target.runID != nil { throw CLIFailure(1, "run \(ref.id) of \"\(ref.name)\" is not running") }
                    continue
                }
                try context.store.requestCancel(ref)
                if let pid = snapshot.pid { kill(pid, SIGTERM) }
                if !global.quiet { print("stop requested: \(ref.name) \(ref.id)") }
                stopped += 1
            }
            if stopped == 0 { throw CLIFailure(1, "no running run of \"\(name)\"") }
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
