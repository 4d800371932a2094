import Foundation
import TrellisCore

extension RunAgent {
    /// One execution of a step, by kind (§6, §7).
    func executeOnce(_ step: Step, scope: SubstitutionScope) async -> ExecutionResult {
        switch step.kind {
        case .command: return await runCommandStep(step, scope: scope)
        case .http: return await runHTTPStep(step, scope: scope)
        case .dag, .parallel: return await runSubDAGStep(step, scope: scope)
        }
    }

    /// Command, command list or script (§6.2), each process in its own group, output to the
    /// step's log files.
    func runCommandStep(_ step: Step, scope: SubstitutionScope) async -> ExecutionResult {
        let logs = logPaths(step.name)
        var record = node(step.name)
        record.stdout = logs.out
        record.stderr = logs.err
        store(record)
        // This execution's stdout is read back only for `output:` and `continue_on.output`, and
        // the offsets only matter then or for `stdout:`/`stderr:` copies: most steps skip it all.
        let capturesOutput = step.output != nil || !step.continueOn.output.isEmpty
        let copiesStreams = step.stdout != nil || step.stderr != nil
        let offset = capturesOutput || copiesStreams ? LogFiles.size(logs.out) : 0
        let errOffset = copiesStreams ? LogFiles.size(logs.err) : 0
        let argvs: [[String]]
        let cwd: String
        do {
            cwd = try await workingDirectory(for: step, scope: scope)
            argvs = try await commandLines(for: step, scope: scope, workingDirectory: cwd)
        } catch {
            forgetLogsNeverWritten(step.name, stdout: logs.out)
            return ExecutionResult(exitCode: 1, error: "\(error)")
        }
        let environment = scope.resolvedBindings.map { ($0.name, $0.value) }
        let deadline = step.timeoutSec > 0 ? ContinuousClock.now + .seconds(step.timeoutSec) : nil
        var result = ExecutionResult(exitCode: 0)
        for argv in argvs {
            guard let program = argv.first else { continue }
            var spec = ProcessSpec(executable: program, arguments: Array(argv.dropFirst()), environment: environment,
                                   workingDirectory: cwd, stdoutPath: logs.out, stderrPath: logs.err, appendOutput: true)
            // A silent step leaves no log file (each creation is a directory update that a
            // wide fan-out would serialise on); one that others name as `${id.stdout}` gets
            // its files up front, as the files those references promise.
            spec.createsOutputOnFirstByte = step.id == nil
            let outcome = await launchAndWait(spec, node: step.name, deadline: deadline, timeoutSec: step.timeoutSec)
            result.exitCode = outcome.exitCode
            result.error = outcome.error
            result.timedOut = outcome.timedOut
            if !result.succeeded { break }
        }
        forgetLogsNeverWritten(step.name, stdout: logs.out)
        if capturesOutput {
            let limit = request.dag.maxOutputSize
            let text = LogFiles.read(logs.out, from: offset, maxBytes: step.output != nil ? limit + 1 : 16 << 20)
            result.stdoutTruncated = step.output != nil && text.utf8.count > limit
            result.stdout = text
        }
        if copiesStreams {
            await teeUserFiles(step, scope: scope, cwd: cwd, logs: logs, offsets: (offset, errOffset))
        }
        return result
    }

    /// A step that started no process (its command could not be substituted, or a stop came
    /// first) has no log files: its record stops pointing at them, so the step-log endpoint
    /// answers "not run" rather than "file not found" for a path the run lists. A launched
    /// process has its group recorded and keeps the paths even when it wrote nothing (its
    /// files are made on the first byte; the step-log endpoint reads a missing one as empty).
    private func forgetLogsNeverWritten(_ name: String, stdout: String) {
        var record = node(name)
        guard record.pgid == nil else { return }
        var info = stat()
        guard stat(stdout, &info) != 0 else { return }
        record.stdout = nil
        record.stderr = nil
        store(record)
    }

    /// The argv of each process the step runs.
    private func commandLines(for step: Step, scope: SubstitutionScope, workingDirectory cwd: String) async throws -> [[String]] {
        let choice = ShellCommand.shell(step: step.shell, dag: request.dag.shell, defaultShell: request.defaultShell,
                                        hostShell: request.hostEnvironment["SHELL"])
        let shell = ShellCommand.withErrexit(choice.argv, stepOwn: choice.stepOwn)
        let substitutor = Substitutor(scope: scope, commands: substitutionRunner(scope: scope, workingDirectory: cwd))
        if let script = step.script {
            let text = try await substitutor.substitute(script, mode: .script)
            let file = (paths.workDirectory as NSString).appendingPathComponent("script-\(StepLogName.safe(step.name))")
            guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o700]) else {
                throw RunAgentError("cannot write the script file \(file)")
            }
            let command = try await step.commands.first.asyncMap { try await substitutor.substitute($0, mode: .command) }
            return [ShellCommand.scriptArgv(file: file, script: text, command: command, shell: shell)]
        }
        var result: [[String]] = []
        for command in step.commands {
            let text = try await substitutor.substitute(command, mode: .command)
            result.append(ShellCommand.commandArgv(text, shell: shell))
        }
        return result
    }

    /// Launches one process, records its group, waits with the step timeout (TERM, then KILL
    /// after the clean-up time), and kills what is left of the group.
    func launchAndWait(_ spec: ProcessSpec, node name: String, deadline: ContinuousClock.Instant?, timeoutSec: Int,
                       processKey: String? = nil) async -> (exitCode: Int, error: String?, timedOut: Bool) {
        let key = processKey ?? name
        let isHandler = request.dag.handlerOn.all.contains { $0.name == name }
        if (stopRequested || dagTimedOut) && !isHandler {
            return (1, "stopped before start", false)
        }
        let child: ChildProcess
        do {
            child = try await ProcessLauncher.launch(spec)
        } catch {
            return (127, "\(error)", false)
        }
        processes[key] = child
        // A stop or DAG timeout that came while the launch was suspended signalled only the
        // processes registered then: this one gets its signal now.
        if (stopRequested || dagTimedOut) && !isHandler {
            signalLate(child, stepName: name, useStepSignal: stopRequested && processKey == nil)
        }
        if processKey == nil {
            var record = node(name)
            record.pgid = child.pid
            update(record)
        }
        let grace = request.dag.maxCleanUpTimeSec
        let watchdog: Task<Bool, Never>? = deadline.map { deadline in
            Task {
                do { try await Task.sleep(until: deadline) } catch { return false }
                child.signalGroup(SIGTERM)
                try? await Task.sleep(for: .seconds(grace))
                if child.isGroupAlive() { child.signalGroup(SIGKILL) }
                return true
            }
        }
        let termination = await child.termination
        watchdog?.cancel()
        let timedOut = await watchdog?.value ?? false
        processes[key] = nil
        if child.isGroupAlive() { child.signalGroup(SIGKILL) }
        if timedOut { return (124, "step timed out after \(timeoutSec) s", true) }
        let code = Int(termination.exitCode)
        return (code, code == 0 ? nil : "exit status \(code)", false)
    }

    /// `stdout:`/`stderr:` paths also receive the stream (copied when the execution ends).
    private func teeUserFiles(_ step: Step, scope: SubstitutionScope, cwd: String, logs: (out: String, err: String),
                              offsets: (UInt64, UInt64)) async {
        let substitutor = Substitutor(scope: scope, commands: substitutionRunner(scope: scope, workingDirectory: cwd))
        for (target, source, offset) in [(step.stdout, logs.out, offsets.0), (step.stderr, logs.err, offsets.1)] {
            guard let target, let path = try? await substitutor.substitute(target, mode: .full) else { continue }
            LogFiles.copy(from: source, offset: offset, appendingTo: PathJoin.resolve(path, against: cwd, home: request.hostEnvironment["HOME"]))
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
