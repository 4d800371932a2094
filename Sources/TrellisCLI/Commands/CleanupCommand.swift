import ArgumentParser
import Foundation
import TrellisCore
import TrellisStore

/// `trellis cleanup <dag> [--retention-days N] [--dry-run] [-y]` (§17.3).
struct CleanupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Delete a DAG's old runs (never active ones).",
        discussion: "Without --retention-days the DAG's hist_retention_days applies; 0 deletes every run that is not active."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("retention-days"), help: "Keep runs of the last N days.")
    var retentionDays: Int?

    @Flag(name: .customLong("dry-run"), help: "List what would be deleted.")
    var dryRun = false

    @Flag(name: [.customShort("y"), .customLong("yes")], help: "Do not ask for confirmation.")
    var yes = false

    @Argument(help: "A DAG's file name, DAG name or path.")
    var dag: String

    func validate() throws {
        if let retentionDays, retentionDays < 0 { throw ValidationError("--retention-days must be at least 0") }
    }

    func run() throws {
        do {
            let context = try CommandContext(global)
            let loaded = try? context.loadDAG(dag)
            let name = loaded?.dag.name ?? dag
            let days = retentionDays ?? loaded?.dag.histRetentionDays ?? 30
            if !dryRun && !yes {
                throw CLIFailure(2, "cleanup deletes run history; add -y to confirm, or --dry-run to look first")
            }
            let deleted = context.store.deleteRuns(dagName: name, olderThanDays: days, now: Date(), dryRun: dryRun)
            for ref in deleted { print("\(dryRun ? "would delete" : "deleted") \(ref.name) \(ref.id)") }
            if !global.quiet { context.printError("\(deleted.count) run\(deleted.count == 1 ? "" : "s") \(dryRun ? "would be " : "")deleted") }
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
