#if canImport(Glibc)
import Glibc
#endif

/// A dedicated POSIX thread for blocking reads, so no thread of the Swift concurrency pool is
/// ever parked in `poll(2)`. Joinable, so ``DirectoryWatcher/stop()`` can wait for it.
struct ReaderThread: Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private let handle: pthread_t

    /// Starts `body` on a new thread.
    static func start(directory: String, _ body: @escaping @Sendable () -> Void) throws(WatcherError) -> ReaderThread {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { context in
            guard let context else { return nil }
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw WatcherError(.cannotStartThread, path: directory, errorNumber: result)
        }
        return ReaderThread(handle: handle)
    }

    /// Waits for the thread to end. Does nothing when called from the thread itself.
    func join() {
        guard pthread_equal(pthread_self(), handle) == 0 else { return }
        _ = pthread_join(handle, nil)
    }
}
