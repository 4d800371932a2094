import CTrellisSystem
import Foundation
import Glibc

/// Starts step processes (§6.3) and reaps them.
///
/// Launches go to the process's ``ChildMonitor``: its spawner threads fork, its monitor thread
/// watches each child with a pidfd and reaps it. When the monitor cannot run, each launch gets
/// a dedicated thread that forks the child and then blocks in `waitpid` until it is reaped.
/// Either way the forking thread outlives the child: on Linux `PR_SET_PDEATHSIG` fires when the *thread* that forked
/// exits, so the child's `SIGKILL` on parent death only fires when the whole launching process
/// dies.
public enum ProcessLauncher {
    /// Stack of a launcher thread: it only marshals C strings and waits.
    static let threadStackSize = 512 * 1024

    /// Starts the process described by `spec` and returns once `execve` has succeeded.
    ///
    /// Failures up to and including `execve` (program not found, bad working directory,
    /// unwritable output file) are thrown synchronously.
    public static func launch(_ spec: ProcessSpec) async throws(LaunchError) -> ChildProcess {
        let request = try SpawnRequest(spec)
        if let monitor = ChildMonitor.shared {
            return try await monitor.launch(request).get()
        }
        let outcome = await withCheckedContinuation { (handOff: CheckedContinuation<Result<ChildProcess, LaunchError>, Never>) in
            let thread = Thread {
                _ = trellis_accept_child_signals()
                spawnAndReap(request, handOff: handOff)
            }
            thread.name = "trellis-launch"
            thread.stackSize = threadStackSize
            thread.start()
        }
        return try outcome.get()
    }

    /// Body of a dedicated launcher thread: spawn (output straight to the files), hand the
    /// child over, reap it.
    private static func spawnAndReap(
        _ request: SpawnRequest,
        handOff: CheckedContinuation<Result<ChildProcess, LaunchError>, Never>
    ) {
        switch request.spawn() {
        case .failure(let error):
            handOff.resume(returning: .failure(error))
        case .success(let pid):
            let child = ChildProcess(pid: pid)
            handOff.resume(returning: .success(child))
            waitAndReap(child)
        }
    }

    /// Blocks until the leader exits, publishes how, then reaps what is left of its group.
    static func waitAndReap(_ child: ChildProcess) {
        child.resolve(waitForLeader(child.pid))
        reapGroupMembers(pgid: child.pid)
    }

    /// Blocks until the leader exits and reaps it.
    private static func waitForLeader(_ pid: Int32) -> Termination {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { return Termination(waitStatus: status) }
            if result < 0 && errno == EINTR { continue }
            // ECHILD: something else in this process reaped our child with waitpid(-1) and the
            // status is lost. Report a failure rather than waiting forever.
            return .exited(255)
        }
    }

    /// When the launching process is a child subreaper (`trellis_set_child_subreaper`), the
    /// leader's orphaned background children become ours: reap those still in the group so
    /// none stays a zombie. Without a subreaper this returns at once with `ECHILD`.
    /// - Parameter blocking: wait for every member to exit; otherwise reap only those that
    ///   have exited.
    /// - Returns: whether children of ours remain in the group (always false when blocking).
    @discardableResult
    static func reapGroupMembers(pgid: Int32, blocking: Bool = true) -> Bool {
        var status: Int32 = 0
        while true {
            let result = waitpid(-pgid, &status, blocking ? 0 : WNOHANG)
            if result > 0 { continue }
            if result < 0 && errno == EINTR { continue }
            return result == 0
        }
    }
}
