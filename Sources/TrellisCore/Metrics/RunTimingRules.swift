import Foundation

/// What a new index line means for the run histograms (API §3.3). Pure.
public enum RunTimingRules {
    /// `finishedAt − startedAt` of a line that records an attempt's end; `nil` for other lines.
    public static func duration(of entry: RunIndexEntry) -> Double? {
        guard entry.status.endsAttempt, let started = entry.startedAt, let finished = entry.finishedAt else { return nil }
        return max(0, finished.timeIntervalSince(started))
    }

    /// `startedAt − queuedAt` when `entry` records the start of a run that waited in a queue:
    /// a `running` line whose start is the snapshot's, and the snapshot has a `queuedAt`.
    public static func queueWait(of entry: RunIndexEntry, snapshot: RunSnapshot?) -> Double? {
        guard entry.status == .running, let started = entry.startedAt, let snapshot,
              let queued = snapshot.queuedAt, let snapshotStart = snapshot.startedAt,
              abs(snapshotStart.timeIntervalSince(started)) < 0.001 else { return nil }
        return max(0, started.timeIntervalSince(queued))
    }
}

extension RunStatus {
    /// A status that ends an attempt: failed, aborted, succeeded, partially succeeded, rejected.
    public var endsAttempt: Bool {
        switch self {
        case .failed, .aborted, .succeeded, .partiallySucceeded, .rejected: true
        case .notStarted, .running, .queued, .waiting: false
        }
    }
}
