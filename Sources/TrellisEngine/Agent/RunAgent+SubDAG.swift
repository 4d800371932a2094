import Foundation
import TrellisCore

extension RunAgent {
    /// A sub-DAG step (§7.1) or parallel sub-DAG step (§7.2): each child is a separate run
    /// executed by its own run agent process.
    func runSubDAGStep(_ step: Step, scope: SubstitutionScope) async -> ExecutionResult {
        guard let launcher = request.subDAGLauncher, let call = step.call else {
            return ExecutionResult(exitCode: 1, error: "sub-DAG runs are not available in this agent")
        }
        let logs = logPaths(step.name)
        var record = node(step.name)
        record.stdout = logs.out
        record.stderr = logs.err
        update(record)
        let substitutor = Substitutor(scope: scope, commands: substitutionRunner(scope: scope, workingDirectory: workingDirectory))
        do {
            let target = try await substitutor.substitute(call, mode: .full)
            guard let childName = ChildDAGLocator.dagName(target, in: launcher.dagsDirectory) else {
                return ExecutionResult(exitCode: 1, error: "sub-DAG \"\(target)\" not found in \(launcher.dagsDirectory)")
            }
            if step.kind == .dag {
                let params = try await substitutor.substitute(step.callParams ?? "", mode: .full)
                let child = await runChild(step, target: target, childName: childName, params: params, launcher: launcher)
                let text = SubDAGResult.single(child).serialized() + "\n"
                LogFiles.appendText(text, to: logs.out)
                return SubDAGResult.execution(for: [child], stdout: text, single: true)
            }
            let items = try await parallelItems(step, substitutor: substitutor)
            let limit = max(1, step.parallel?.maxConcurrent ?? 10)
            var results: [ChildOutcome?] = Array(repeating: nil, count: items.count)
            var next = 0
            await withTaskGroup(of: (Int, ChildOutcome).self) { group in
                func addNext() async {
                    guard next < items.count else { return }
                    let index = next
                    next += 1
                    let itemScope = scope.adding(.builtins, [("ITEM", items[index])])
                    let params = (try? await Substitutor(scope: itemScope, commands: substitutor.commands)
                        .substitute(step.callParams ?? "", mode: .full)) ?? ""
                    group.addTask { [self] in
                        (index, await self.runChild(step, target: target, childName: childName, params: params, launcher: launcher))
                    }
                }
                for _ in 0..<min(limit, items.count) { await addNext() }
                for await (index, outcome) in group {
                    results[index] = outcome
                    await addNext()
                }
            }
            let outcomes = results.compactMap { $0 }
            let text = SubDAGResult.summary(outcomes).serialized() + "\n"
            LogFiles.appendText(text, to: logs.out)
            return SubDAGResult.execution(for: outcomes, stdout: text, single: false)
        } catch {
            return ExecutionResult(exitCode: 1, error: "\(error)")
        }
    }

    /// The items of a `parallel:` step: a `${VAR}` (JSON array or separated list) or a list.
    private func parallelItems(_ step: Step, substitutor: Substitutor) async throws -> [String] {
        guard let parallel = step.parallel else { return [] }
        switch parallel.items {
        case .list(let values):
            return values.map { value in
                if case .string(let text) = value { return text }
                return value.serialized()
            }
        case .reference(let text):
            let value = try await substitutor.substitute(text, mode: .full)
            if let json = try? JSONValue.parse(value), case .array(let array) = json {
                return array.map { item in
                    if case .string(let text) = item { return text }
                    return item.serialized()
                }
            }
            return value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        }
    }

    /// Starts (or, when it already exists, retries) one child run and waits for it.
    func runChild(_ step: Step, target: String, childName: String, params: String, launcher: SubDAGLaunchConfig) async -> ChildOutcome {
        let parent = request.header.run
        let childID = SubDAGRunID.make(parentRunID: parent.id, stepName: step.name, childName: childName, params: params)
        let childRef = RunRef(name: childName, id: childID)
        let exists = (try? deps.reader.header(of: childRef)) != nil
        var arguments: [String]
        if exists {
            arguments = ["retry"] + launcher.globalArguments + ["--run-id", childID, childName]
        } else {
            arguments = ["start"] + launcher.globalArguments + ["--run-id", childID, "--parent", "\(parent.name):\(parent.id)",
                          "--root", "\(request.header.root.name):\(request.header.root.id)"]
            // `--params=…`: params that start with "-" are not read as an option.
            if !params.isEmpty { arguments.append("--params=\(params)") }
            arguments.append(target)
        }
        var record = node(step.name)
        record.subRuns.removeAll { $0.dagRunId == childID }
        record.subRuns.append(SubRunRecord(dagRunId: childID, dagName: childName, params: params.isEmpty ? nil : params, status: .running))
        update(record)
        let logs = logPaths(step.name)
        let spec = ProcessSpec(executable: launcher.executable, arguments: arguments,
                               environment: HostEnvironmentFilter.filter(request.hostEnvironment, passthrough: request.envPassthrough),
                               workingDirectory: workingDirectory, stdoutPath: logs.err, stderrPath: logs.err, appendOutput: true)
        let waited = await launchAndWait(spec, node: step.name, deadline: nil, timeoutSec: 0, processKey: "\(step.name)#\(childID)")
        let snapshot = try? deps.reader.latestSnapshot(of: childRef)
        let status = snapshot?.status ?? .failed
        let outputsPath = (deps.files.paths(of: childRef, attemptId: "").runDirectory as NSString).appendingPathComponent("outputs.json")
        let outputs = FileBytes.text(outputsPath).flatMap { try? JSONValue.parse($0) } ?? .object(JSONObject([]))
        record = node(step.name)
        if let index = record.subRuns.firstIndex(where: { $0.dagRunId == childID }) { record.subRuns[index].status = status }
        update(record)
        let error = snapshot == nil ? (waited.error ?? "sub-DAG run \(childID) did not start") : nil
        return ChildOutcome(name: childName, runID: childID, params: params, status: status, outputs: outputs, error: error)
    }
}

/// One finished child run.
struct ChildOutcome: Sendable {
    var name: String
    var runID: String
    var params: String
    var status: RunStatus
    var outputs: JSONValue
    var error: String?
}

/// The JSON a sub-DAG step prints, and the node result it maps to (§7.1, §7.2).
enum SubDAGResult {
    static func single(_ child: ChildOutcome) -> JSONValue {
        .object(JSONObject([
            ("name", .string(child.name)), ("dagRunId", .string(child.runID)), ("params", .string(child.params)),
            ("outputs", child.outputs), ("status", .string(child.status.label)),
        ]))
    }

    static func summary(_ children: [ChildOutcome]) -> JSONValue {
        let succeeded = children.filter { $0.status.isSuccessful }.count
        return .object(JSONObject([
            ("summary", .object(JSONObject([("total", .integer(children.count)), ("succeeded", .integer(succeeded)),
                                            ("failed", .integer(children.count - succeeded))]))),
            ("results", .array(children.map(single))),
            ("outputs", .array(children.map(\.outputs))),
        ]))
    }

    static func execution(for children: [ChildOutcome], stdout: String, single: Bool) -> ExecutionResult {
        var result = ExecutionResult(exitCode: 0)
        result.stdout = stdout
        if let failed = children.first(where: { !$0.status.isSuccessful }) {
            result.exitCode = 1
            result.error = failed.error ?? "sub-DAG run \(failed.runID) ended \(failed.status.label)"
        } else if children.contains(where: { $0.status == .partiallySucceeded }) {
            result.partiallySucceeded = true
        }
        return result
    }
}

/// Finds a DAG by file name or DAG name in the DAGs directory, and reports its DAG name.
enum ChildDAGLocator {
    static func dagName(_ target: String, in directory: String) -> String? {
        for suffix in [".yaml", ".yml"] {
            let path = (directory as NSString).appendingPathComponent(target + suffix)
            if case .success(let data) = FileBytes.read(path) {
                return DAGLoader.load(bytes: data, fileName: target + suffix).dag?.name ?? target
            }
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            guard case .success(let data) = FileBytes.read((directory as NSString).appendingPathComponent(file)) else { continue }
            if DAGLoader.load(bytes: data, fileName: file).dag?.name == target { return target }
        }
        return nil
    }
}
