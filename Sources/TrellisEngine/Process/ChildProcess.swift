import Glibc
import Synchronization

/// A running (or finished) step process and its process group.
///
/// The process leads its own group, so `pid` is also the process-group id. A dedicated reaper
/// thread in ``ProcessLauncher`` waits for the leader and publishes its ``termination``; the
/// leader never stays a zombie. Members of the group that outlive the leader (background jobs)
/// are seen with ``isGroupAlive()`` and stopped with ``signalGroup(_:)``.
public final class ChildProcess: Sendable {
    /// The process id of the leader, equal to the process-group id.
    public let pid: Int32

    /// The process-group id (the same number as `pid`).
    public var processGroupID: Int32 { pid }

    private struct State {
        /// Set once, by the reaper thread, right after `waitpid` returned for the leader.
        var termination: Termination?
        /// Callers of `termination` that arrived before it was set. Invariant: empty whenever
        /// `termination` is set (they are taken and resumed when it is set).
        var waiters: [CheckedContinuation<Termination, Never>] = []
        /// True once `kill(-pgid, …)` found no process. The leader stays in the group until it
        /// is reaped, so an empty group means the leader is gone too: the id is then free for
        /// reuse by unrelated processes and must never be signalled again.
        var groupGone = false
    }

    private let state = Mutex(State())

    init(pid: Int32) {
        self.pid = pid
    }

    /// How the leader ended; suspends until it has. Any number of callers may wait, before or
    /// after the exit. Waiting does not react to task cancellation: signal the group instead.
    public var termination: Termination {
        get async {
            if let known = state.withLock({ $0.termination }) { return known }
            return await withCheckedContinuation { continuation in
                let known: Termination? = state.withLock { state in
                    if let known = state.termination { return known }
                    state.waiters.append(continuation)
                    return nil
                }
                if let known { continuation.resume(returning: known) }
            }
        }
    }

    /// The termination if the leader has already been reaped, without waiting.
    public var currentTermination: Termination? {
        state.withLock { $0.termination }
    }

    /// Sends `signal` to every process in the group (`kill(-pgid, signal)`).
    ///
    /// A group that no longer exists is not an error. Once the leader has been reaped and the
    /// group found empty, nothing is sent any more, so a reused id is never hit.
    /// - Returns: whether the signal was delivered to at least one process.
    @discardableResult
    public func signalGroup(_ signal: Int32) -> Bool {
        if state.withLock({ $0.groupGone }) { return false }
        if kill(-pid, signal) == 0 { return true }
        if errno == ESRCH { markGone() }
        return false
    }

    /// Whether a process of the group is still running.
    ///
    /// After the leader has exited, background members may still be running; the engine then
    /// kills the group. `kill(-pgid, 0)` answers first; when it finds members, `/proc` is read
    /// to ignore zombies, which an init that does not reap (or a busy subreaper) may keep around.
    public func isGroupAlive() -> Bool {
        if state.withLock({ $0.groupGone }) { return false }
        // EPERM: a member exists but changed its credentials; it still counts.
        if kill(-pid, 0) == 0 || errno == EPERM {
            return ProcessTable.hasLiveMember(pgid: pid)
        }
        markGone()
        return false
    }

    /// Publishes the leader's termination and resumes every waiter. Called once by the reaper.
    func resolve(_ termination: Termination) {
        let waiters = state.withLock { state in
            state.termination = termination
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters {
            waiter.resume(returning: termination)
        }
    }

    /// An empty group whose leader is still a zombie cannot exist, so ESRCH before the reaper
    /// has published the termination is only remembered once the leader is known to be gone.
    private func markGone() {
        state.withLock { state in
            if state.termination != nil { state.groupGone = true }
        }
    }
}
