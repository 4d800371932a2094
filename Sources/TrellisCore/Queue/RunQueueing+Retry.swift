import Foundation

extension RunQueueing {
    /// A retry of a run whose queue is a declared global queue (API §6.7, format §14.3): the run
    /// waits for a slot like any queued run. A new attempt is written `queued` (synced) with the
    /// previous attempt's node states, then `enqueue` is appended to the queue; the dispatched
    /// agent (`start --queued`) sees trigger `retry` and resets the nodes as a retry does
    /// (§13.1) in the attempt it runs. Returns the queued snapshot; `nil` when the run's queue
    /// is not a global queue (the caller retries directly).
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
        let stored: RunSnapshot
        do {
            stored = try writer.startAttempt(initial)
        } catch {
            throw QueueingError(.store(error.code), "cannot queue the retry of dag-run \(previous.run.id): \(error)")
        }
        do {
            try queues.append(QueueRecord(.enqueue, previous.run, at: time, priority: .low), to: queue)
        } catch {
            var failed = stored
            failed.status = .failed
            failed.finishedAt = now()
            failed.error = "cannot enqueue the retry: \(error)"
            try? writer.append(failed, durability: .synced)
            throw QueueingError(.store(error.code), "cannot enqueue the retry of dag-run \(previous.run.id): \(error)")
        }
        return stored
    }
}
