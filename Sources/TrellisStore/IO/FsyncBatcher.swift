import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import TrellisCore

/// Batched durability (§17.1): appended files whose `fsync` is owed, synced together by a
/// background timer at least every 200 ms (every 100 ms while anything is dirty), or at once by
/// ``syncAll()``. Several appends to one file between two ticks cost one `fsync`.
final class FsyncBatcher: Sendable {
    /// A file identity: appends to the same inode through different descriptors coalesce.
    private struct FileKey: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private struct State {
        var dirty: [FileKey: (fd: Int32, path: String)] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    /// Held for the whole of a sync pass, so `syncAll()` returns only after a pass the timer had
    /// already started has finished too.
    private let syncing = Mutex(())
    private let timer: TimerBox
    private let logger: Logger

    /// - Parameter afterPass: called after each background pass (tests await it).
    init(interval: DispatchTimeInterval = .milliseconds(100), logger: Logger, afterPass: (@Sendable () -> Void)? = nil) {
        self.logger = logger
        timer = TimerBox(interval: interval)
        timer.start { [weak self] in
            self?.syncLogging()
            afterPass?()
        }
    }

    /// How many files have unsynced appends.
    var pendingCount: Int { state.withLock { $0.dirty.count } }

    /// Takes ownership of `fd` (already unlocked), whose file has unsynced appends.
    func adopt(_ fd: Int32, path: String) {
        var info = stat()
        let known = fstat(fd, &info) == 0
        let key = FileKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        let keep = state.withLock { state -> Bool in
            guard !state.closed, known, state.dirty[key] == nil else { return false }
            state.dirty[key] = (fd, path)
            return true
        }
        guard !keep else { return }
        if state.withLock({ $0.closed }) || !known {
            if fsync(fd) != 0 { logger.error("cannot fsync", metadata: ["path": "\(path)", "errno": "\(errno)"]) }
        }
        Glibc.close(fd)
    }

    /// Syncs and closes every dirty file now; throws the first failure after trying them all.
    func syncAll() throws(StoreError) {
        var firstError: StoreError?
        syncing.withLock { _ in
            let files = state.withLock { state in
                defer { state.dirty.removeAll() }
                return Array(state.dirty.values)
            }
            for file in files {
                do throws(StoreError) {
                    try Posix.sync(file.fd, path: file.path)
                } catch {
                    if firstError == nil { firstError = error }
                }
                Glibc.close(file.fd)
            }
        }
        if let firstError { throw firstError }
    }

    /// Stops the timer and syncs what is left; later adoptions sync at once.
    func close() {
        let wasOpen = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        guard wasOpen else { return }
        timer.cancel()
        syncLogging()
    }

    private func syncLogging() {
        do {
            try syncAll()
        } catch {
            logger.error("cannot fsync appended records", metadata: ["error": "\(error)"])
        }
    }

    deinit {
        timer.cancel()
        for file in state.withLock({ Array($0.dirty.values) }) {
            _ = fsync(file.fd)
            Glibc.close(file.fd)
        }
    }
}

/// Owns the repeating `DispatchSourceTimer` of an ``FsyncBatcher``.
///
/// `@unchecked Sendable`: the timer object is created in `init` and never replaced; `start` is
/// called once from the owner's `init` and `cancel` may be called from any thread, which
/// Dispatch sources allow.
private final class TimerBox: @unchecked Sendable {
    private let source: DispatchSourceTimer
    private let interval: DispatchTimeInterval

    init(interval: DispatchTimeInterval) {
        self.interval = interval
        source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "trellis.store.fsync"))
    }

    func start(_ handler: @escaping @Sendable () -> Void) {
        source.setEventHandler(handler: handler)
        source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}
