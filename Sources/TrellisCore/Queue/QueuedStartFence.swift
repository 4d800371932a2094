import Foundation

/// The check a queued run's agent passes before it starts the run (§14.3 as Trellis builds it,
/// docs/SPEC-DECISIONS.md): pure, evaluated by the agent while it holds the run lock.
///
/// The dispatcher may reopen a claim whose agent never started and claim the run again with a
/// new token, so two agents of one run can exist (the first one was merely slow). Exactly one
/// runs the steps:
/// - the run must still be `queued`, on the attempt the agent was started for: a winner writes
///   `running` while it holds the run lock, so every later agent sees another status;
/// - with a token, the run's queue item must be claimed with that token: a reopened or
///   re-claimed item means this agent's claim was given up (the dispatcher reopens only while it
///   holds the run lock, so the token cannot change while an agent holds the lock and checks).
///
/// An agent started without a token (by hand, or by an earlier version) skips the second check.
public struct QueuedStartFence: Sendable, Hashable {
    public var run: RunRef
    /// The queued attempt the agent was started for.
    public var attemptId: String
    /// The claim token the agent was started with.
    public var token: String?

    public init(run: RunRef, attemptId: String, token: String?) {
        self.run = run
        self.attemptId = attemptId
        self.token = token
    }

    /// Why the agent must not start the run, or `nil` when it may. `latest` is the run's latest
    /// snapshot, `item` its item in its queue (`nil` when it is not in the queue); both read
    /// while the agent holds the run lock.
    public func refusal(latest: RunSnapshot?, item: QueueState.Item?) -> String? {
        guard let latest else { return "no run \(run.id) of \"\(run.name)\"" }
        guard latest.status == .queued else {
            return "run \(run.id) of \"\(run.name)\" is not queued (status: \(latest.status.label))"
        }
        guard latest.attemptId == attemptId else {
            return "run \(run.id) of \"\(run.name)\" was queued again (attempt \(latest.attemptId)) after this agent was started"
        }
        guard let token else { return nil }
        guard let item, item.phase == .claimed, item.token == token else {
            let now = item.map { $0.phase == .claimed ? "claimed with another token" : $0.phase.rawValue } ?? "not in its queue"
            return "the claim \(token) of run \(run.id) of \"\(run.name)\" is no longer current (the item is \(now)); "
                + "the dispatcher gave it up, so this agent does not start the run"
        }
        return nil
    }
}
