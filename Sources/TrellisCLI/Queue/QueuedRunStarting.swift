import Foundation
import TrellisCore
import TrellisStore

/// Starts the run agent of a queued run that the dispatcher claimed (§14.3, §16.1).
public protocol QueuedRunStarting: Sendable {
    /// Launches the agent of `run` (status `queued`) for the claim `token` (the agent runs the
    /// run only while that claim is current; `nil`: not fenced) and returns once the run has left
    /// `queued`.
    ///
    /// Throws when the run failed before it started: the agent could not be spawned, exited
    /// before taking the run lock (its output is in the error), or did not start the run within
    /// 10 s — in that case the agent is killed first, so it can no longer start the run. The
    /// caller marks the run failed. Throws `CancellationError` when the calling task is
    /// cancelled while waiting; the agent is then left alone.
    func startQueued(_ run: RunRef, claim token: String?) async throws -> RunSnapshot
}

/// The production ``QueuedRunStarting``: detached `trellis start --queued` agents, as the
/// server starts its runs (``DetachedRunControl``).
public struct DetachedQueuedRunStarter: QueuedRunStarting {
    let control: DetachedRunControl
    let startDeadline: Duration

    /// - Parameters:
    ///   - executable: the `trellis` binary the agents run.
    ///   - globalArguments: `--home`, `--dags`, `--data`, so the agents see the same folders.
    ///   - store: the run store the agents write to.
    ///   - environment: the agents' environment.
    ///   - logDirectory: where the agents' own stdout and stderr go (`agent-<run-id>-queued.log`).
    ///   - startDeadline: how long an agent may take to start the run (10 s, §14.3).
    public init(executable: String, globalArguments: [String], store: FileRunStore, environment: [(String, String)],
                logDirectory: String, startDeadline: Duration = .seconds(10)) {
        control = DetachedRunControl(executable: executable, globalArguments: globalArguments, store: store,
                                     environment: environment, logDirectory: logDirectory)
        self.startDeadline = startDeadline
    }

    public func startQueued(_ run: RunRef, claim token: String?) async throws -> RunSnapshot {
        try await control.startQueued(run, claim: token, deadline: startDeadline)
    }
}
