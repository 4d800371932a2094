import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TrellisCore

/// Scheduler leadership (§15.2): an exclusive `flock` on `data/scheduler/scheduler.lock`, held for
/// the scheduler's lifetime, so each slot fires once per data directory. A second scheduler waits
/// on it as a standby. The descriptor is close-on-exec (run agents never inherit it) and the
/// kernel drops the lock when the holder dies, even by SIGKILL.
public final class SchedulerLock: Sendable {
    /// The lock file.
    public let path: String
    /// The open, locked descriptor while held.
    private let descriptor = Mutex<Int32?>(nil)

    /// - Parameter dataDirectory: the `data/` folder; `scheduler/` is created under it.
    public init(dataDirectory: String) {
        path = (dataDirectory as NSString).appendingPathComponent("scheduler/scheduler.lock")
    }

    /// Whether this instance holds the lock.
    public var isHeld: Bool { descriptor.withLock { $0 != nil } }

    /// One non-blocking attempt (`LOCK_EX | LOCK_NB`); true when this instance holds the lock
    /// afterwards (also when it already did).
    public func tryAcquire() throws(StoreError) -> Bool {
        if isHeld { return true }
        try Posix.makeDirectories((path as NSString).deletingLastPathComponent)
        let fd = try Posix.open(path, O_RDWR | O_CREAT, action: "open scheduler lock")
        let locked: Bool
        do {
            locked = try Posix.lock(fd, LOCK_EX | LOCK_NB, path: path)
        } catch {
            Glibc.close(fd)
            throw error
        }
        guard locked else {
            Glibc.close(fd)
            return false
        }
        let kept = descriptor.withLock { held -> Bool in
            guard held == nil else { return false }
            held = fd
            return true
        }
        if !kept { Glibc.close(fd) }
        return true
    }

    /// Waits as a standby until the lock is ours: one attempt every `pollInterval`.
    ///
    /// - Parameter onStandby: called once when the first attempt fails (to log the standby).
    /// - Throws: `CancellationError` when the task is cancelled while waiting; ``StoreError`` when
    ///   the lock file cannot be opened.
    public func acquire(pollInterval: Duration = .seconds(1), onStandby: @Sendable () -> Void = {}) async throws {
        var announced = false
        while try !tryAcquire() {
            if !announced {
                onStandby()
                announced = true
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Unlocks and closes the descriptor; later calls do nothing.
    public func release() {
        descriptor.withLock { fd in
            guard let held = fd else { return }
            _ = flock(held, LOCK_UN)
            Glibc.close(held)
            fd = nil
        }
    }

    deinit {
        release()
    }
}
