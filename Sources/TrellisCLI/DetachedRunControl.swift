import Foundation
import TrellisCore
import TrellisEngine
import TrellisStore

/// Starts run agents as detached `trellis start` processes (§16.1) and stops runs (§10.2),
/// for the server and the scheduler.
struct DetachedRunControl: RunControl {
    let executable: String
    /// `--home`, `--dags`, `--data` so the agent sees the same folders.
    let globalArguments: [String]
    let store: FileRunStore
    let environment: [(String, String)]
    /// Agents' own stdout/stderr (normally empty: runs log to their run folder).
    let logDirectory: String

    /// How long a start may take to leave `not_started` (§16.1).
    static let startDeadline: Duration = .seconds(10)
    /// This control's limit for a start: ``startDeadline``, longer only where a test runs on a
    /// machine too loaded to start a process within it.
    var startLimit: Duration = DetachedRunControl.startDeadline

    func start(_ request: StartRequest, dagName: String) async throws -> RunSnapshot {
        let run = RunRef(name: dagName, id: request.runID)
        // `--name=value` throughout: params, labels, run IDs and DAG names may start with "-",
        // which would otherwise be read as an option.
        var arguments = ["start"] + globalArguments + ["--quiet", "--run-id=\(request.runID)", "--dag-name=\(dagName)"]
        if let params = request.params { arguments.append("--params=\(params)") }
        if !request.labels.isEmpty { arguments.append("--labels=" + request.labels.joined(separator: ",")) }
        if request.triggerType == .scheduler { arguments += ["--trigger", "scheduler"] }
        if let slot = request.scheduleTime { arguments += ["--schedule-time", ScheduleTimeText.format(slot)] }
        arguments.append(request.dagFile)
        do {
            return try await launch(arguments, logName: "agent-\(request.runID).log", deadline: startLimit) {
                guard let snapshot = try? store.latestSnapshot(of: run), snapshot.status != .notStarted else { return nil }
                return snapshot
            }
        } catch let error as StartTimeout {
            if let created = try? store.latestSnapshot(of: run), created.status == .notStarted {
                var failed = created
                failed.status = .failed
                failed.error = "run agent did not start"
                failed.finishedAt = Date()
                try? store.append(failed, durability: .synced)
            }
            throw error
        }
    }

    struct StartTimeout: Error, CustomStringConvertible {
        var limit: Duration = DetachedRunControl.startDeadline
        var description: String { "run agent did not start within \(limit.components.seconds) s" }
    }

    /// Launches a detached agent and polls `started` (growing pauses) until it answers, the agent
    /// exits first (its output is in the error), or `deadline` (10 s) passes. With
    /// `killOnTimeout`, an agent that has not started by then is SIGKILLed (and reaped) before
    /// ``StartTimeout`` is thrown, so it cannot start the run after the caller gave up on it.
    func launch(_ arguments: [String], logName: String, deadline limit: Duration = Self.startDeadline,
                killOnTimeout: Bool = false, started: () -> RunSnapshot?) async throws -> RunSnapshot {
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let log = (logDirectory as NSString).appendingPathComponent(logName)
        var spec = ProcessSpec(executable: executable, arguments: arguments, environment: environment,
                               stdoutPath: log, stderrPath: log, appendOutput: true)
        spec.detached = true
        let agent = try await ProcessLauncher.launch(spec)
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var pause = Duration.milliseconds(5)
        while clock.now < deadline {
            if let snapshot = started() { return snapshot }
            if let ended = agent.currentTermination {
                if let snapshot = started() { return snapshot }
                let output = FileBytes.text(log)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                throw RunAgentError("run agent exited (\(ended)) before the run started" + (output.isEmpty ? "" : ": \(output)"))
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(100))
        }
        if killOnTimeout {
            agent.signalGroup(SIGKILL)
            _ = await agent.termination
        }
        throw StartTimeout(limit: limit)
    }

    func retry(_ run: RunRef, step: String?) async throws -> RunSnapshot {
        let before = try store.latestSnapshot(of: run)
        var arguments = ["retry"] + globalArguments + ["--quiet", "--run-id=\(run.id)"]
        if let step { arguments.append("--step=\(step)") }
        arguments += ["--", run.name]
        return try await launch(arguments, logName: "agent-\(run.id)-retry.log") {
            guard let snapshot = try? store.latestSnapshot(of: run), Self.retryStarted(before: before, latest: snapshot) else { return nil }
            return snapshot
        }
    }

    /// Whether `latest` shows a retry's new attempt under way (API §6.7: answer once it is
    /// running): another attempt than `before` that recorded its own start. The agent's first
    /// record of a new attempt copies the previous one — its final status and `startedAt` — until
    /// it records `running`; answering on that copy let the next request see the run finished.
    static func retryStarted(before: RunSnapshot?, latest: RunSnapshot) -> Bool {
        latest.attemptId != before?.attemptId && latest.status != .notStarted && latest.startedAt != before?.startedAt
    }

    func patchNodeStatus(_ run: RunRef, node: String, status: NodeStatus) throws -> RunSnapshot {
        try store.patchNodeStatus(run, node: node, status: status)
    }

    func requestStop(_ run: RunRef, agentPID: Int32?) throws {
        try store.requestCancel(run)
        if let agentPID, agentPID > 0 { kill(agentPID, SIGTERM) }
    }
}
