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

    func start(_ request: StartRequest, dagName: String) async throws -> RunSnapshot {
        let run = RunRef(name: dagName, id: request.runID)
        var arguments = ["start"] + globalArguments + ["--quiet", "--run-id", request.runID]
        if let params = request.params { arguments += ["--params", params] }
        if !request.labels.isEmpty { arguments += ["--labels", request.labels.joined(separator: ",")] }
        arguments.append(request.dagFile)
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let log = (logDirectory as NSString).appendingPathComponent("agent-\(request.runID).log")
        var spec = ProcessSpec(executable: executable, arguments: arguments, environment: environment,
                               stdoutPath: log, stderrPath: log, appendOutput: true)
        spec.detached = true
        let agent = try await ProcessLauncher.launch(spec)
        let clock = ContinuousClock()
        let deadline = clock.now + Self.startDeadline
        var pause = Duration.milliseconds(5)
        while clock.now < deadline {
            if let snapshot = try? store.latestSnapshot(of: run), snapshot.status != .notStarted {
                return snapshot
            }
            if let ended = agent.currentTermination {
                if let snapshot = try? store.latestSnapshot(of: run), snapshot.status != .notStarted { return snapshot }
                let output = (try? String(contentsOfFile: log, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                throw RunAgentError("run agent exited (\(ended)) before the run started" + (output.isEmpty ? "" : ": \(output)"))
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(100))
        }
        if let created = try? store.latestSnapshot(of: run), created.status == .notStarted {
            var failed = created
            failed.status = .failed
            failed.error = "run agent did not start"
            failed.finishedAt = Date()
            try? store.append(failed, durability: .synced)
        }
        throw RunAgentError("run agent did not start within 10 s")
    }

    func requestStop(_ run: RunRef, agentPID: Int32?) throws {
        try store.requestCancel(run)
        if let agentPID, agentPID > 0 { kill(agentPID, SIGTERM) }
    }
}
