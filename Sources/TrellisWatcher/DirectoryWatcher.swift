import Logging
import Synchronization

/// Watches one directory (non-recursively) with inotify and reports debounced, filtered
/// ``WatchEvent``s.
///
/// The watch is in place when `init` returns, so a caller can start watching, then do its
/// initial full scan, then consume ``events()`` without missing a change. Reading happens on a
/// dedicated thread started by the first call to ``events()`` (the kernel queues events until
/// then); that thread blocks in `poll(2)` on the inotify descriptor and a wake channel, drains
/// records until `EAGAIN`, filters names through `shouldWatch`, debounces per name, and emits
/// ``WatchEvent/rescan`` every `rescanInterval`. ``stop()`` wakes it, waits for it and closes
/// every descriptor.
public final class DirectoryWatcher: Sendable {
    private enum Phase {
        case idle
        case running(ReaderThread)
        case stopped
    }

    /// The watched directory.
    public let directory: String
    /// How long a name must be quiet before it is reported.
    public let debounce: Duration
    /// How often ``WatchEvent/rescan`` is emitted.
    public let rescanInterval: Duration

    private let inotify: InotifyDescriptor
    private let wake: WakeChannel
    private let watch: Int32
    private let shouldWatch: @Sendable (String) -> Bool
    private let broadcaster = EventBroadcaster()
    private let phase = Mutex(Phase.idle)
    private let logger: Logger

    /// Starts watching `directory`.
    ///
    /// - Parameters:
    ///   - debounce: the quiet period per name before it is reported (a name written
    ///     continuously is still reported after ten quiet periods).
    ///   - rescanInterval: the period of ``WatchEvent/rescan``.
    ///   - shouldWatch: which entry names are reported; called on the reader thread.
    /// - Throws: ``WatcherError`` naming the directory when inotify cannot be set up.
    public init(
        directory: String,
        debounce: Duration = .milliseconds(50),
        rescanInterval: Duration = .seconds(60),
        logger: Logger,
        shouldWatch: @escaping @Sendable (String) -> Bool = { _ in true }
    ) throws(WatcherError) {
        self.directory = directory
        self.debounce = max(debounce, .zero)
        self.rescanInterval = max(rescanInterval, .milliseconds(1))
        self.shouldWatch = shouldWatch
        self.logger = logger
        let inotify = try InotifyDescriptor(directory: directory)
        let watch: Int32
        let wake: WakeChannel
        do {
            watch = try inotify.addWatch()
            wake = try WakeChannel(directory: directory)
        } catch {
            inotify.close()
            throw error
        }
        self.inotify = inotify
        self.watch = watch
        self.wake = wake
    }

    deinit {
        stop()
    }

    /// A stream of the events from now on; each call returns a new, independent stream.
    ///
    /// The first call starts the reader thread. After ``stop()`` (or a fatal read error, which is
    /// logged) every stream finishes, and later calls return a finished stream.
    public func events() -> AsyncStream<WatchEvent> {
        let stream = broadcaster.subscribe()
        phase.withLock { phase in
            guard case .idle = phase else { return }
            let loop = WatchLoop(inotify: inotify, wake: wake, watch: watch, debounce: debounce,
                                 rescanInterval: rescanInterval, shouldWatch: shouldWatch,
                                 broadcaster: broadcaster, logger: logger)
            do {
                phase = .running(try ReaderThread.start(directory: directory) { loop.run() })
            } catch {
                logger.error("cannot start the watcher thread", metadata: ["path": "\(directory)", "error": "\(error)"])
                phase = .stopped
                closeDescriptors()
                broadcaster.finish()
            }
        }
        return stream
    }

    /// Stops watching: wakes and joins the reader thread, closes the inotify descriptor and the
    /// wake channel, and finishes every stream. Idempotent.
    public func stop() {
        let previous = phase.withLock { phase -> Phase in
            defer { phase = .stopped }
            return phase
        }
        switch previous {
        case .stopped:
            return
        case .idle:
            broadcaster.finish()
        case .running(let thread):
            wake.signal()
            thread.join()
        }
        closeDescriptors()
    }

    private func closeDescriptors() {
        inotify.close()
        wake.close()
    }
}
