import Foundation
import TrellisCore

/// A condition a run agent checks before it starts a run that already exists (a queued run's
/// agent, §14.3): evaluated while the agent holds the run lock, before it writes anything. A
/// refusal ends the agent with ``RunAgentError`` and leaves the run exactly as it was.
public struct RunStartGuard: Sendable {
    /// How long the agent keeps trying the run lock while another process holds it and `check`
    /// (on the latest snapshot, without the lock) still passes: the holder may be another agent
    /// of the run that is about to give up, or the dispatcher settling the run for a moment.
    public var lockPatience: Duration
    /// Returns why the run must not start, or `nil`; given the run's latest snapshot (`nil` when
    /// there is none).
    public var refusal: @Sendable (RunSnapshot?) throws -> String?

    public init(lockPatience: Duration = .zero, refusal: @escaping @Sendable (RunSnapshot?) throws -> String?) {
        self.lockPatience = lockPatience
        self.refusal = refusal
    }
}
