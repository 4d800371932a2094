import Foundation

extension QueueStore {
    /// §14.2: frees the queue slot of `run`, which has ended, by appending `done` to `queue` —
    /// decided under the queue file's lock on the run's latest snapshot read under that lock.
    ///
    /// Nothing is appended while the run is active or `not_started` again: an agent that could
    /// not take the lock of a run another agent runs must not free that run's slot, and a run
    /// that is `queued` again is a queued retry whose `enqueue` has replaced (or will replace)
    /// the ended attempt's item. A queued retry writes its `queued` snapshot and its `enqueue`
    /// under the same lock (``RunQueueing/enqueueRetry(of:)``), so a `done` appended here always
    /// comes before the retry's `enqueue` and never removes the retry's item.
    ///
    /// - Parameters:
    ///   - onlyWhileQueueHoldsItems: append only while the queue holds items (runs waiting for a
    ///     slot, or claimed), so that the queue files of DAGs that are only ever started
    ///     directly do not grow with every run.
    /// - Returns: whether `done` was appended.
    @discardableResult
    public func releaseSlot(of run: RunRef, in queue: String, reader: any RunReader, at time: @autoclosure () -> Date,
                            onlyWhileQueueHoldsItems: Bool = false) throws -> Bool {
        try update(queue) { state in
            guard !onlyWhileQueueHoldsItems || !state.isEmpty,
                  let latest = try reader.latestSnapshot(of: run), Self.hasEnded(latest.status) else { return ([], false) }
            return ([QueueRecord(.done, run, at: time())], true)
        }
    }

    /// Whether a run with `status` no longer needs a slot.
    static func hasEnded(_ status: RunStatus) -> Bool {
        status.hasEnded
    }
}
