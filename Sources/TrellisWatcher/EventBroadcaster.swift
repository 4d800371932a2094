import Synchronization

/// Hands every event to each subscribed `AsyncStream`. Thread-safe.
final class EventBroadcaster: Sendable {
    private struct State {
        var continuations: [Int: AsyncStream<WatchEvent>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state = Mutex(State())

    /// A new stream receiving every later event; already finished if the watcher has stopped.
    ///
    /// The buffer is unbounded: events are already coalesced per name, so it grows only with the
    /// number of distinct changes a slow consumer has not read yet.
    func subscribe() -> AsyncStream<WatchEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self, bufferingPolicy: .unbounded)
        let id: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            defer { state.nextID += 1 }
            state.continuations[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        // Called outside the lock by `finish()` below, or by the stream when its consumer ends.
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Delivers `event` to every subscriber.
    func yield(_ event: WatchEvent) {
        let targets = state.withLock { Array($0.continuations.values) }
        for continuation in targets { continuation.yield(event) }
    }

    /// Delivers several events in order.
    func yield(_ events: [WatchEvent]) {
        guard !events.isEmpty else { return }
        let targets = state.withLock { Array($0.continuations.values) }
        for continuation in targets {
            for event in events { continuation.yield(event) }
        }
    }

    /// Ends every stream; later subscribers get a finished stream.
    func finish() {
        let targets = state.withLock { state -> [AsyncStream<WatchEvent>.Continuation] in
            state.finished = true
            defer { state.continuations.removeAll() }
            return Array(state.continuations.values)
        }
        for continuation in targets { continuation.finish() }
    }
}
