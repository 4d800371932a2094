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
            let fileName = (header.sourceFileName ?? ref.name) + ".yaml"
            let loaded = DAGLoader.load(text: spec, fileName: fileName)
            guard loaded.isValid, var dag = loaded.dag else {
                throw CLIFailure(2, "the DAG text stored with the run is invalid:\n" + loaded.errors.map(\.description).joined(separator: "\n"))
            }
            dag.name = ref.name
            let overrides: ParamOverrides = header.rawParamsJSON.flatMap { try? JSONValue.parse($0) }.map { .json($0) }
                ?? (header.params.isEmpty ? .none : .text(header.params))
            let params: ResolvedParams
            switch ParamResolver.resolve(dag.params, overrides: overrides) {
            case .success(let value): params = value
            case .failure(let errors): throw CLIFailure(2, "stored params no longer resolve: \(errors)")
            }
            if let step, dag.step(named: step) == nil { throw CLIFailure(2, "no step \"\(step)\" in \(ref.name)") }
            let dagDirectory = header.sourceFileName.map { _ in context.dagsDirectory } ?? context.dagsDirectory
            var request = RunRequest(dag: dag, header: header, params: params, dagDirectory: dagDirectory,
                                     hostEnvironment: context.environment)
            request.retryOf = previous
            request.retryStep = step
            request.defaultShell = context.environment["TRELLIS_DEFAULT_SHELL"].map(ShellWords.split)
            request.subDAGLauncher = SubDAGLaunchConfig(
                executable: Executable.path, globalArguments: global.forwardedArguments(environment: context.environment),
                dagsDirectory: context.dagsDirectory)
            if !global.quiet { StandardOutput.printFlushed(ref.id) }
            let final = try await AgentRunner.run(request, context: context)
            throw ExitCode(final.status.isSuccessful ? 0 : 1)
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}
