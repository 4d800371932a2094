import Foundation

extension RunQueueing {
    /// A retry of a run whose queue is a declared global queue (API §6.7, format §14.3): the run
    /// waits for a slot like any queued run. A new attempt is written `queued` (synced) with the
    /// previous attempt's node states, then `enqueue` is appended to the queue; the dispatched
    /// agent (`start --queued`) sees trigger `retry` and resets the nodes as a retry does
    /// (§13.1) in the attempt it runs. Returns the queued snapshot; `nil` when the run's queue
    /// is not a global queue (the caller retries directly).
    ///
    /// Both writes happen under the queue file's lock, so whoever decides under that lock (the
    /// dispatcher, the first attempt's agent appending its `done`, a failed start being settled)
    /// sees either the ended run with its old item or the `queued` retry with its new item —
    /// never the `queued` retry behind the first attempt's claim. The first attempt's agent may
    /// still be exiting: its `done` then comes before the `enqueue` or not at all, and the
    /// `enqueue` replaces the old claim in the queue's fold (``QueueState``).
    public func enqueueRetry(of previous: RunSnapshot) throws(QueueingError) -> RunSnapshot? {
        let queue = previous.queue.isEmpty ? previous.run.name : previous.queue
        guard globalQueue(named: queue) != nil else { return nil }
        let time = now()
        var initial = previous
        initial.status = .queued
        initial.queuedAt = time
        initial.startedAt = nil
        initial.finishedAt = nil
        initial.error = nil
        initial.triggerType = .retry
        initial.pid = nil
        var written: RunSnapshot?
        do {
            return try queues.update(queue) { _ in
                let stored = try writer.startAttempt(initial)
                written = stored
                return ([QueueRecord(.enqueue, previous.run, at: time, priority: .low)], stored)
            }
        } catch {
            let code = (error as? StoreError)?.code ?? .io
            guard var failed = written else {
                throw QueueingError(.store(code), "cannot queue the retry of dag-run \(previous.run.id): \(error)")
            }
            // Queued but not in the queue file, the retry would wait forever: fail it instead.
            failed.status = .failed
            failed.finishedAt = now()
            failed.error = "cannot enqueue the retry: \(error)"
            try? writer.append(failed, durability: .synced)
            throw QueueingError(.store(code), "cannot enqueue the retry of dag-run \(previous.run.id): \(error)")
        }
    }
}
