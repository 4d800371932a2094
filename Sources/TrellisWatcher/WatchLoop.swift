#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The body of the reader thread: `poll(2)` on the inotify descriptor and the wake channel,
/// drain, filter, debounce, emit; plus the periodic rescan tick and re-watching a directory that
/// went away. Returns when woken through the wake channel or when reading fails.
struct WatchLoop: Sendable {
    let inotify: InotifyDescriptor
    let wake: WakeChannel
    let watch: Int32
    let debounce: Duration
    let rescanInterval: Duration
    let shouldWatch: @Sendable (String) -> Bool
    let broadcaster: EventBroadcaster
    let logger: Logger

    /// Runs until stopped; finishes every stream when it returns.
    func run() {
        defer { broadcaster.finish() }
        let clock = ContinuousClock()
        var debouncer = Debouncer(quietPeriod: debounce)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var currentWatch: Int32? = watch
        var nextRescan = clock.now + rescanInterval
        var fds = [pollfd(fd: inotify.descriptor, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0)]
        while true {
            let deadline = min(debouncer.nextDeadline ?? nextRescan, nextRescan)
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, Self.milliseconds(until: deadline, now: clock.now))
            if ready < 0 && errno != EINTR {
                logger.error("watcher poll failed", metadata: ["path": "\(inotify.directory)", "errno": "\(errno)"])
                return
            }
            if fds[1].revents != 0 { return }
            if fds[0].revents != 0 {
                do {
                    try inotify.drain(into: &buffer) { record in
                        handle(record, watch: &currentWatch, debouncer: &debouncer, now: clock.now)
                    }
                } catch {
                    logger.error("watcher read failed", metadata: ["path": "\(inotify.directory)", "errno": "\(error.errorNumber)"])
                    return
                }
            }
            let now = clock.now
            broadcaster.yield(debouncer.takeDue(at: now))
            if now >= nextRescan {
                nextRescan = now + rescanInterval
                if currentWatch == nil { currentWatch = rewatch() }
                broadcaster.yield(.rescan)
            }
        }
    }

    private func handle(_ record: InotifyRecord, watch: inout Int32?, debouncer: inout Debouncer, now: ContinuousClock.Instant) {
        switch record.action(currentWatch: watch) {
        case .changed(let name):
            if shouldWatch(name) { debouncer.record(name, removed: false, at: now) }
        case .removed(let name):
            if shouldWatch(name) { debouncer.record(name, removed: true, at: now) }
        case .overflow:
            logger.warning("watcher queue overflowed; rescan needed", metadata: ["path": "\(inotify.directory)"])
            debouncer.removeAll()
            broadcaster.yield(.overflow)
        case .watchLost:
            // A moved directory keeps its watch: drop it so the path is watched again, not the inode.
            if let current = watch, record.has(IN_MOVE_SELF) { inotify.removeWatch(current) }
            logger.warning("watched directory went away", metadata: ["path": "\(inotify.directory)"])
            watch = rewatch()
            debouncer.removeAll()
            broadcaster.yield(.overflow)
        case .ignore:
            break
        }
    }

    /// Watches the path again (it may have been recreated); `nil` while it is missing.
    private func rewatch() -> Int32? {
        do {
            let watch = try inotify.addWatch()
            logger.info("watching directory again", metadata: ["path": "\(inotify.directory)"])
            return watch
        } catch {
            return nil
        }
    }

    /// A `poll` timeout in whole milliseconds, rounded up, never negative.
    static func milliseconds(until deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Int32 {
        let remaining = now.duration(to: deadline)
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }
}
