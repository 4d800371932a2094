import Foundation
import TrellisCore

extension RunAgent {
    /// Stop (§10.2): no new nodes, each running process group gets the step's stop signal,
    /// SIGKILL after `max_clean_up_time_sec`.
    func stopRunningNodes(reason: String) async {
        guard !stopRequested else { return }
        stopRequested = true
        logLine("\(reason): stopping running steps")
        signalRunning(useStepSignal: true)
    }

    /// DAG timeout (§10.1): like a stop, but the run records the error and ends `failed`.
    func timeOutRun() async {
        guard !dagTimedOut, !stopRequested else { return }
        dagTimedOut = true
        let message = "DAG timed out after \(request.dag.timeoutSec) s"
        runErrors.append(message)
        logLine(message)
        signalRunning(useStepSignal: false)
    }

    /// Sends each running group its signal now and SIGKILL after the clean-up time.
    func signalRunning(useStepSignal: Bool) {
        let groups = processes
        for (name, process) in groups {
            signalledNodes.insert(name.split(separator: "#").first.map(String.init) ?? name)
            let stepName = name.split(separator: "#").first.map(String.init) ?? name
            let isChildAgent = name.contains("#")
            let signalName = useStepSignal && !isChildAgent ? (step(named: stepName)?.signalOnStop ?? "SIGTERM") : "SIGTERM"
            process.signalGroup(SignalName.number(signalName) ?? SIGTERM)
        }
        let grace = request.dag.maxCleanUpTimeSec
        Task {
            try? await Task.sleep(for: .seconds(grace))
            for process in groups.values where process.isGroupAlive() {
                process.signalGroup(SIGKILL)
            }
        }
    }

    /// The stop signal for a process launched after the stop was sent to the others, then
    /// SIGKILL after the clean-up time.
    func signalLate(_ process: ChildProcess, stepName: String, useStepSignal: Bool) {
        signalledNodes.insert(stepName)
        let signalName = useStepSignal ? (step(named: stepName)?.signalOnStop ?? "SIGTERM") : "SIGTERM"
        process.signalGroup(SignalName.number(signalName) ?? SIGTERM)
        let grace = request.dag.maxCleanUpTimeSec
        Task {
            try? await Task.sleep(for: .seconds(grace))
            if process.isGroupAlive() { process.signalGroup(SIGKILL) }
        }
    }

    /// Fires `.timeout` after the DAG's `timeout_sec`.
    func startDAGTimeout() -> Task<Void, Never>? {
        let seconds = request.dag.timeoutSec
        guard seconds > 0 else { return nil }
        let sink = eventSink
        return Task {
            try? await Task.sleep(for: .seconds(seconds))
            if !Task.isCancelled { sink.yield(.timeout) }
        }
    }

    /// Watches for the `cancel-requested` file (§10.2): a stop from another process.
    func startCancelFileWatcher() -> Task<Void, Never> {
        let path = paths.cancelRequest
        let agent = self
        return Task {
            while !Task.isCancelled {
                if FileManager.default.fileExists(atPath: path) {
                    agent.requestStop()
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The backtick runner for a scope: the DAG shell with the scope's variables.
    nonisolated func substitutionRunner(scope: SubstitutionScope, workingDirectory: String) -> any CommandSubstituting {
        let shell = ShellCommand.shell(step: nil, dag: request.dag.shell, defaultShell: request.defaultShell,
                                       hostShell: request.hostEnvironment["SHELL"]).argv
        return ShellSubstituting(shell: shell, scope: scope, workingDirectory: workingDirectory)
    }
}

/// Appends agent lines to `run.log`: one `write()` per line.
enum RunLog {
    static func append(_ message: String, to path: String, at date: Date) {
        guard !path.isEmpty else { return }
        let line = "\(Timestamps.rfc3339(date)) \(message)\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = line.utf8CString.withUnsafeBufferPointer { buffer in
            write(fd, buffer.baseAddress, buffer.count - 1)
        }
    }
}
