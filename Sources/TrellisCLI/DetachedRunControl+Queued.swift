import Foundation
import TrellisCore

extension DetachedRunControl: QueuedRunStarting {
    /// Launches `trellis start --queued [--claim <token>]` for a claimed run (§14.3) and returns
    /// once the claimed attempt has left `queued`: the run's status changed, or the run is
    /// `queued` on another attempt (the agent started it, and the run ended and was retried
    /// before this poll saw it; or a queued retry's agent opened its own attempt). An agent that
    /// has not started the run within `deadline` is killed before ``StartTimeout`` is thrown; one
    /// that exits first throws with its output. The run itself is left as it is: failing it and
    /// dropping its queue item is the dispatcher's part.
    func startQueued(_ run: RunRef, claim token: String?, deadline: Duration) async throws -> RunSnapshot {
        var arguments = ["start"] + globalArguments + ["--quiet", "--queued", "--run-id=\(run.id)"]
        if let token { arguments.append("--claim=\(token)") }
        arguments.append(run.name)
        let claimed = try? store.latestSnapshot(of: run)
        return try await launch(arguments, logName: "agent-\(run.id)-queued.log", deadline: deadline, killOnTimeout: true) {
            guard let snapshot = try? store.latestSnapshot(of: run) else { return nil }
            let leftQueue = snapshot.status != .queued || (claimed?.status == .queued && snapshot.attemptId != claimed?.attemptId)
            return leftQueue ? snapshot : nil
        }
    }

    func startQueued(_ run: RunRef, claim token: String?) async throws -> RunSnapshot {
        try await startQueued(run, claim: token, deadline: Self.startDeadline)
    }
}
