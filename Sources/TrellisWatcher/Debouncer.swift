/// Per-name debouncing, as a pure state machine: a name is reported once it has been quiet for
/// `quietPeriod`, or at the latest `maximumDelay` after its first event (so a file written
/// continuously is still reported). The last kind of event seen for a name wins.
struct Debouncer: Sendable {
    typealias Instant = ContinuousClock.Instant

    private struct Pending: Sendable {
        var removed: Bool
        var due: Instant
        var latest: Instant
    }

    /// How long a name must be quiet before it is reported.
    let quietPeriod: Duration
    /// The longest a name waits after its first event.
    let maximumDelay: Duration
    private var pending: [String: Pending] = [:]

    /// A debouncer; `maximumDelay` defaults to ten quiet periods.
    init(quietPeriod: Duration, maximumDelay: Duration? = nil) {
        self.quietPeriod = quietPeriod
        self.maximumDelay = max(maximumDelay ?? quietPeriod * 10, quietPeriod)
    }

    /// How many names are waiting.
    var count: Int { pending.count }

    /// The earliest instant at which a name is due, if any is waiting.
    var nextDeadline: Instant? { pending.values.lazy.map { min($0.due, $0.latest) }.min() }

    /// Notes an event for `name` at `now`.
    mutating func record(_ name: String, removed: Bool, at now: Instant) {
        if var entry = pending[name] {
            entry.removed = removed
            entry.due = now + quietPeriod
            pending[name] = entry
        } else {
            pending[name] = Pending(removed: removed, due: now + quietPeriod, latest: now + maximumDelay)
        }
    }

    /// Removes and returns the events due at `now`, sorted by name.
    mutating func takeDue(at now: Instant) -> [WatchEvent] {
        let due = pending.filter { min($0.value.due, $0.value.latest) <= now }
        guard !due.isEmpty else { return [] }
        for name in due.keys { pending[name] = nil }
        return due.sorted { $0.key < $1.key }.map { $0.value.removed ? .removed($0.key) : .changed($0.key) }
    }

    /// Forgets every waiting name (a rescan supersedes them).
    mutating func removeAll() {
        pending.removeAll()
    }
}
