#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TrellisCore

/// A held `flock` on a run's `run.lock` (§16.1). The descriptor is close-on-exec, so step
/// processes never inherit it; the kernel drops the lock when the process dies.
final class FileRunLock: RunLock {
    /// The lock file.
    let path: String
    private let descriptor: Mutex<Int32?>

    init(fd: Int32, path: String) {
        self.path = path
        descriptor = Mutex(fd)
    }

    /// Unlocks and closes the descriptor; later calls do nothing.
    func release() {
        descriptor.withLock { fd in
            guard let held = fd else { return }
            _ = flock(held, LOCK_UN)
            close(held)
            fd = nil
        }
    }

    /// A lock nobody holds any more is released rather than leaked.
    deinit {
        release()
    }
}
