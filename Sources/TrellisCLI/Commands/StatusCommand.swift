import ArgumentParser
import Foundation
import TrellisCore
import TrellisStore

/// `trellis status <dag> [-r id]`: the run's status and each node's status, times, exit code.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the latest (or a given) run of a DAG and its steps.",
        discussion: "A run whose agent is gone is repaired to failed before it is shown."
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var target: RunTarget

    func run() throws {
        do {
            let context = try CommandContext(global)
            let ref = try context.runRef(dag: target.dag, runID: target.runID)
            _ = try? DeadRunRepairer(store: context.store).repairIfDead(ref)
            guard let snapshot = try context.store.latestSnapshot(of: ref) else {
                throw CLIFailure(1, "no run \(ref.id) of \"\(ref.name)\"")
            }
            print(StatusReport.render(snapshot), terminator: "")
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}

/// Plain-text rendering of a run for the terminal.
enum StatusReport {
    static func render(_ snapshot: RunSnapshot) -> String {
        func time(_ date: Date?) -> String { date.map(Timestamps.rfc3339) ?? "-" }
        var text = "DAG:      \(snapshot.run.name)\nRun ID:   \(snapshot.run.id)\n"
        text += "Status:   \(snapshot.status.label) (\(snapshot.status.rawValue))\n"
        text += "Started:  \(time(snapshot.startedAt))\nFinished: \(time(snapshot.finishedAt))\n"
        if !snapshot.params.isEmpty { text += "Params:   \(snapshot.params)\n" }
        if let error = snapshot.error { text += "Error:    \(error)\n" }
        let nodes = snapshot.nodes + ["onInit", "onSuccess", "onFailure", "onAbort", "onExit"].compactMap { snapshot.handlers[$0] }
        let width = max(4, nodes.map(\.name.count).max() ?? 4)
        text += "\n" + "STEP".padding(toLength: width, withPad: " ", startingAt: 0) + "  STATUS               EXIT  STARTED                   FINISHED                  ERROR\n"
        for node in nodes {
            text += node.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            text += node.status.label.padding(toLength: 20, withPad: " ", startingAt: 0) + " "
            text += (node.exitCode.map(String.init) ?? "-").padding(toLength: 5, withPad: " ", startingAt: 0) + " "
            text += time(node.startedAt).padding(toLength: 25, withPad: " ", startingAt: 0) + " "
            text += time(node.finishedAt).padding(toLength: 25, withPad: " ", startingAt: 0) + " "
            text += (node.error ?? "") + "\n"
        }
        return text
    }
}
