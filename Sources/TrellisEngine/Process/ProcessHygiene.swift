import CTrellisSystem

/// Process-wide settings for a run agent process.
public enum ProcessHygiene {
    /// Makes this process the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER), so a
    /// step's background processes that outlive the step's leader are reaped by the agent's
    /// launcher instead of lingering as zombies. Call once, early, in the run agent process only.
    @discardableResult
    public static func becomeChildSubreaper() -> Bool {
        trellis_set_child_subreaper(1) == 0
    }
}
