import Foundation
import TrellisCore

extension RunAgent {
    /// Log file paths of a node in this attempt.
    func logPaths(_ name: String) -> (out: String, err: String) {
        let base = (paths.stepLogDirectory as NSString).appendingPathComponent(StepLogName.safe(name))
        return (base + ".out", base + ".err")
    }

    /// Steps this one transitively depends on.
    func ancestors(of name: String) -> Set<String> {
        var result = Set<String>()
        var stack = graph.dependencies[name] ?? []
        while let next = stack.popLast() {
            if result.insert(next).inserted { stack += graph.dependencies[next] ?? [] }
        }
        return result
    }

    /// The step's working directory: its own (relative to the run's) or the run's.
    func workingDirectory(for step: Step, scope: SubstitutionScope) async throws -> String {
        guard let configured = step.workingDir else { return workingDirectory }
        let substituted = try await Substitutor(scope: scope, commands: substitutionRunner(scope: scope, workingDirectory: workingDirectory))
            .substitute(configured, mode: .full)
        return PathJoin.resolve(substituted, against: workingDirectory, home: request.hostEnvironment["HOME"])
    }

    /// Run scope + visible outputs + per-step built-ins + the step's `env` (§5.2, §5.4).
    func scopeFor(_ step: Step, isHandler: Bool) async throws -> SubstitutionScope {
        var result = scope
        let visible = isHandler ? nil : ancestors(of: step.name)
        let bindings = outputs.filter { visible?.contains($0.node) ?? true }.map { ($0.name, $0.value) }
        result.add(SubstitutionLayer(source: .outputs, bindings: bindings))
        for (id, name) in steppedIDs {
            let record = node(name)
            result.stepReferences[id] = StepReference(stdoutPath: record.stdout, stderrPath: record.stderr, exitCode: record.exitCode)
        }
        let cwd = try await workingDirectory(for: step, scope: result)
        let logs = logPaths(step.name)
        var builtins: [(String, String)] = [("DAG_RUN_STEP_NAME", step.name), ("PWD", cwd)]
        if !isHandler {
            builtins += [("DAG_RUN_STEP_STDOUT_FILE", logs.out), ("DAG_RUN_STEP_STDERR_FILE", logs.err)]
        }
        result = result.adding(.builtins, builtins)
        if !step.env.isEmpty {
            let layer = try await Substitutor(scope: result, commands: substitutionRunner(scope: result, workingDirectory: cwd))
                .evaluate(step.env, as: .stepEnvironment)
            result.add(layer)
        }
        return result
    }

    /// §8.4 for a list of conditions (all must hold). Evaluation errors are reported.
    func conditionsHold(_ conditions: [Condition], scope: SubstitutionScope) async -> (holds: Bool, error: String?) {
        for condition in conditions {
            let outcome = await evaluate(condition, scope: scope)
            if let error = outcome.error { return (false, error) }
            if !outcome.met { return (false, nil) }
        }
        return (true, nil)
    }

    func evaluate(_ condition: Condition, scope: SubstitutionScope) async -> (met: Bool, error: String?) {
        let runner = substitutionRunner(scope: scope, workingDirectory: workingDirectory)
        var met: Bool
        if let expected = condition.expected {
            do {
                let value = try await Substitutor(scope: scope, commands: runner).substitute(condition.condition, mode: .full)
                let expectedValue = try await Substitutor(scope: scope, commands: runner).substitute(expected, mode: .full)
                met = ConditionMatch.matches(output: value, expected: expectedValue)
            } catch {
                return (false, "precondition \"\(condition.condition)\": \(error)")
            }
        } else {
            let shell = ShellCommand.shell(step: nil, dag: request.dag.shell, defaultShell: request.defaultShell,
                                           hostShell: request.hostEnvironment["SHELL"]).argv
            do {
                let command = try await Substitutor(scope: scope, commands: runner).substitute(condition.condition, mode: .command)
                let (termination, _) = try await CommandRunner.output(
                    of: command, shell: shell, environment: scope.resolvedBindings.map { ($0.name, $0.value) },
                    workingDirectory: workingDirectory, maxBytes: 1 << 16)
                met = termination.exitCode == 0
            } catch {
                return (false, "precondition \"\(condition.condition)\": \(error)")
            }
        }
        if condition.negate { met.toggle() }
        return (met, nil)
    }

    /// DAG preconditions: records `matched`/`error` on the snapshot.
    func dagPreconditionsHold() async -> Bool {
        var all = true
        for (index, condition) in request.dag.preconditions.enumerated() {
            let outcome = await evaluate(condition, scope: scope)
            snapshot.preconditions[index].matched = outcome.met
            snapshot.preconditions[index].error = outcome.error
            if !outcome.met || outcome.error != nil {
                all = false
                runErrors.append(outcome.error ?? "DAG precondition not met: \(condition.condition)")
                break
            }
        }
        if !all {
            logLine("DAG preconditions not met; the run is aborted")
            record()
        }
        return all
    }
}

/// `expected` matching (§8.4): any output line equals it, or matches `re:<regex>`.
enum ConditionMatch {
    static func matches(output: String, expected: String) -> Bool {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        let candidates = lines.isEmpty ? [output] : lines + [output]
        if expected.hasPrefix("re:") {
            guard let regex = try? Regex(String(expected.dropFirst(3))) else { return false }
            return candidates.contains { (try? regex.wholeMatch(in: $0)) != nil || ((try? regex.firstMatch(in: $0)) ?? nil) != nil }
        }
        return candidates.contains { $0 == expected || $0.trimmingCharacters(in: .whitespaces) == expected }
    }
}
