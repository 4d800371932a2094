/// The state of one day index (format §17.2) for metrics: the fold of its lines, where the last
/// line of each run wins. Pure; lines apply in file order.
public struct RunCountTally: Sendable, Hashable {
    private var latest: [RunRef: RunIndexEntry] = [:]

    public init() {}

    /// The fold of `entries`, in order.
    public init<Entries: Sequence>(folding entries: Entries) where Entries.Element == RunIndexEntry {
        for entry in entries { apply(entry) }
    }

    /// Applies one line: the run's status is now the line's.
    public mutating func apply(_ entry: RunIndexEntry) {
        latest[entry.run] = entry
    }

    /// How many runs the day holds.
    public var count: Int { latest.count }

    /// Runs by their current status.
    public var countsByStatus: [RunStatus: Int] {
        var counts: [RunStatus: Int] = [:]
        for entry in latest.values { counts[entry.status, default: 0] += 1 }
        return counts
    }

    /// Runs by DAG name, then by current status.
    public var countsByDAG: [String: [RunStatus: Int]] {
        var counts: [String: [RunStatus: Int]] = [:]
        for entry in latest.values { counts[entry.dag, default: [:]][entry.status, default: 0] += 1 }
        return counts
    }

    /// The runs whose current status says an agent should be alive (`running`, `not_started`).
    public var activeRuns: [RunRef] {
        latest.values.filter { $0.status == .running || $0.status == .notStarted }.map(\.run)
    }
}
