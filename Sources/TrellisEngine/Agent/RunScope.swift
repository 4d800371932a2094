import Foundation
import TrellisCore

/// Builds the run-level substitution scope (§5.2): filtered host environment < params <
/// dotenv and DAG `env` < built-ins. Evaluated once when the attempt starts.
struct RunScopeBuilder {
    let request: RunRequest
    let paths: RunPaths
    let runner: @Sendable (SubstitutionScope, String) -> any CommandSubstituting

    struct Built {
        var scope: SubstitutionScope
        var params: ResolvedParams
        var workingDirectory: String
    }

    func build() async throws -> Built {
        let dag = request.dag
        var scope = SubstitutionScope()
        let host = HostEnvironmentFilter.filter(request.hostEnvironment, passthrough: request.envPassthrough)
        scope.add(SubstitutionLayer(source: .hostEnvironment, bindings: host))
        var builtins = SubstitutionLayer(source: .builtins, bindings: [
            ("DAG_NAME", dag.name),
            ("DAG_RUN_ID", request.header.run.id),
            ("DAG_RUN_LOG_FILE", paths.runLog),
            ("DAG_RUN_WORK_DIR", paths.workDirectory),
        ])
        var params = request.params
        try await evaluateParams(&params, scope: scope.adding(builtins))
        scope.add(SubstitutionLayer(source: .params, bindings: params.environment))
        if !params.items.isEmpty {
            builtins.bind("DAG_PARAMS_JSON", to: params.paramsJSON)
            builtins.bind("DAGU_PARAMS_JSON", to: params.paramsJSON)
        }
        scope.add(builtins)
        // working_dir may use DAG env variables, and dotenv files are looked up in the working
        // dir: resolve it with params and built-ins first (for dotenv), then again with the env.
        let provisional = try await resolveWorkingDirectory(scope: scope)
        var dagEnv = SubstitutionLayer(source: .dagEnvironment)
        for entry in Dotenv.load(files: [".env"] + dag.dotenv, workingDirectory: provisional, dagDirectory: request.dagDirectory) {
            dagEnv.bind(entry.0, to: entry.1)
        }
        scope.add(dagEnv)
        let substitutor = Substitutor(scope: scope, commands: runner(scope, provisional))
        let evaluated = try await substitutor.evaluate(dag.env, as: .dagEnvironment)
        for binding in evaluated.bindings { dagEnv.bind(binding.name, to: binding.value) }
        var result = SubstitutionScope(layers: scope.layers.filter { $0.source != .dagEnvironment }, stepReferences: scope.stepReferences)
        result.add(dagEnv)
        let workingDirectory = try await resolveWorkingDirectory(scope: result)
        return Built(scope: result, params: params, workingDirectory: workingDirectory)
    }

    /// DAG `working_dir` through the full pipeline, relative to the DAG file's directory;
    /// the per-run work dir when unset.
    private func resolveWorkingDirectory(scope: SubstitutionScope) async throws -> String {
        guard let configured = request.dag.workingDir else { return paths.workDirectory }
        let substituted = try await Substitutor(scope: scope, commands: runner(scope, paths.workDirectory))
            .substitute(configured, mode: .full)
        return PathJoin.resolve(substituted, against: request.dagDirectory, home: request.hostEnvironment["HOME"])
    }

    /// Runs each `eval` default (§4.2) through the full pipeline and checks the result.
    private func evaluateParams(_ params: inout ResolvedParams, scope: SubstitutionScope) async throws {
        let definitions = request.dag.params
        for index in params.items.indices where params.items[index].needsEval {
            guard case .string(let text) = params.items[index].value, index < definitions.count else { continue }
            let output = try await Substitutor(scope: scope, commands: runner(scope, paths.workDirectory)).substitute(text, mode: .full)
            let problems = params.applyEvaluation(output, at: index, definition: definitions[index])
            if let problem = problems.first { throw RunAgentError(problem.message) }
        }
    }
}

/// Path joining with `~` expansion.
enum PathJoin {
    static func resolve(_ path: String, against base: String, home: String?) -> String {
        var path = path
        if path == "~" || path.hasPrefix("~/"), let home { path = home + path.dropFirst(1) }
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        return ((base as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}

/// Reads dotenv files (§5.1): `KEY=value` lines, `export ` prefix, `#` comments, quotes stripped.
enum Dotenv {
    static func load(files: [String], workingDirectory: String, dagDirectory: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var seen = Set<String>()
        for file in files where seen.insert(file).inserted {
            let candidates = file.hasPrefix("/") ? [file] : [
                (workingDirectory as NSString).appendingPathComponent(file),
                (dagDirectory as NSString).appendingPathComponent(file),
            ]
            guard let path = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }),
                  let text = FileBytes.text(path) else { continue }
            result += parse(text)
        }
        return result
    }

    static func parse(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if !key.isEmpty { result.append((key, value)) }
        }
        return result
    }
}
