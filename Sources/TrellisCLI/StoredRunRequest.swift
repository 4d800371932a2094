import Foundation
import TrellisCore
import TrellisEngine

/// The run request of a run that already exists (a queued start, a retry): the DAG text stored
/// with the run, under the run's name, with the params stored in its header.
enum StoredRunRequest {
    static func make(_ ref: RunRef, header: RunHeader, spec: String, context: CommandContext,
                     global: GlobalOptions) throws -> RunRequest {
        let loaded = DAGLoader.load(text: spec, fileName: (header.sourceFileName ?? ref.name) + ".yaml")
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
        var request = RunRequest(dag: dag, header: header, params: params, dagDirectory: context.dagsDirectory,
                                 hostEnvironment: context.environment)
        request.defaultShell = context.environment["TRELLIS_DEFAULT_SHELL"].map(ShellWords.split)
        request.subDAGLauncher = SubDAGLaunchConfig(
            executable: Executable.path, globalArguments: global.forwardedArguments(environment: context.environment),
            dagsDirectory: context.dagsDirectory)
        return request
    }
}
