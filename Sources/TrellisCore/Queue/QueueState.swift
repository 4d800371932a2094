import Foundation

/// A queue's state: the fold of its records (§14.5). Pure and order-sensitive: records apply in
/// file order, which is the order they were appended under the queue file's lock.
///
/// Every run in the queue is in one phase:
/// - **open**: enqueued, waiting for a slot; listed FIFO (`high` priority first, then record order);
/// - **claimed**: taken by the dispatcher, its run agent not yet started;
/// - **running**: occupying a slot (a dispatched run that started, or a direct start).
///
/// Fold rules: `enqueue` opens an absent run; an open run keeps its place (a repeated enqueue);
/// a claimed or running run is **replaced** by a new open item at the tail — a run passes through
/// its queue once per queued attempt, and an `enqueue` written after its claim is a new attempt
/// (a queued retry, API §6.7) of a run whose claimed attempt has ended: that attempt's slot is
/// freed and the new attempt waits for one like any new run, with a claim count of 0. `claim`
/// moves an open or absent run to claimed, with the claim's token, and counts it; `reopen` moves
/// a claimed run back to open, keeping its place and its count of claims; `start` makes any run
/// running; `done`, `dequeue` and `drop` remove the run whatever its phase.
///
/// The records of one run are told apart by their order, so the writers keep that order true: a
/// retry writes its `queued` snapshot and its `enqueue` under the queue file's lock
/// (``RunQueueing/enqueueRetry(of:)``), and `done` is appended only under that lock while the
/// run's latest snapshot says it ended (``QueueStore/releaseSlot(of:in:reader:at:onlyWhileQueueHoldsItems:)``),
/// so the `done` of the first attempt always comes before the retry's `enqueue`.
public struct QueueState: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case open
        case claimed
        case running
    }

    /// A run in the queue.
    public struct Item: Sendable, Hashable {
        public var run: RunRef
        public var phase: Phase
        public var priority: QueuePriority
        /// The `at` of its `enqueue` record; `nil` for a direct start.
        public var enqueuedAt: Date?
        /// The `at` of the record that put it in its phase.
        public var since: Date
        /// While claimed: the token of the current claim (`nil` for a claim written without one).
        public var token: String?
        /// While open or claimed: how many times the item was claimed since it entered the queue
        /// (reopened claims count; the dispatcher reopens an item only so many times).
        public var claims: Int

        public init(run: RunRef, phase: Phase, priority: QueuePriority = .low, enqueuedAt: Date?, since: Date,
                    token: String? = nil, claims: Int = 0) {
            self.run = run
            self.phase = phase
            self.priority = priority
            self.enqueuedAt = enqueuedAt
            self.since = since
            self.token = token
            self.claims = claims
        }
    }

    private struct Entry: Sendable, Hashable {
        var item: Item
        /// The place of the run's first record still in effect: FIFO order.
        var sequence: Int
    }

    private var entries: [RunRef: Entry] = [:]
    private var nextSequence = 0

    /// An empty queue.
    public init() {}

    /// The fold of `records`, in order.
    public init<Records: Sequence>(folding records: Records) where Records.Element == QueueRecord {
        for record in records { apply(record) }
    }

    /// Applies one record (the rules are in the type's description).
    public mutating func apply(_ record: QueueRecord) {
        let run = record.run
        let existing = entries[run]
        switch record.op {
        case .enqueue:
            if let existing, existing.item.phase == .open { return }
            // Absent, or a new attempt of a run whose claimed or running attempt has ended.
            insert(Item(run: run, phase: .open, priority: record.priority ?? .low, enqueuedAt: record.at, since: record.at))
        case .claim:
            if var entry = existing {
                guard entry.item.phase == .open else { return }
                entry.item.phase = .claimed
                entry.item.since = record.at
                entry.item.token = record.token
                entry.item.claims += 1
                entries[run] = entry
            } else {
                insert(Item(run: run, phase: .claimed, priority: record.priority ?? .low, enqueuedAt: nil, since: record.at,
                            token: record.token, claims: 1))
            }
        case .reopen:
            guard var entry = existing, entry.item.phase == .claimed else { return }
            entry.item.phase = .open
            entry.item.since = record.at
            entry.item.token = nil
            entries[run] = entry
        case .start:
            if var entry = existing {
                guard entry.item.phase != .running else { return }
                entry.item.phase = .running
                entry.item.since = record.at
                entry.item.token = nil
                entry.item.claims = 0
                entries[run] = entry
            } else {
                insert(Item(run: run, phase: .running, priority: record.priority ?? .low, enqueuedAt: nil, since: record.at))
            }
        case .done, .dequeue, .drop:
            entries[run] = nil
        }
    }

    /// The state after `records`.
    public func applying<Records: Sequence>(_ records: Records) -> QueueState where Records.Element == QueueRecord {
        var result = self
        for record in records { result.apply(record) }
        return result
    }

    private mutating func insert(_ item: Item) {
        entries[item.run] = Entry(item: item, sequence: nextSequence)
        nextSequence += 1
    }

    // MARK: - Reading

    /// Runs waiting for a slot, in dispatch order: `high` before `low`, FIFO within each.
    public var open: [Item] {
        entries.values.filter { $0.item.phase == .open }
            .sorted { lhs, rhs in
                lhs.item.priority == rhs.item.priority ? lhs.sequence < rhs.sequence : lhs.item.priority == .high
            }
            .map(\.item)
    }

    /// Runs claimed by the dispatcher whose agent has not started yet, in record order.
    public var claimed: [Item] { items(in: .claimed) }

    /// Runs occupying a slot, in record order.
    public var running: [Item] { items(in: .running) }

    /// The run's item, if it is in the queue.
    public func item(_ run: RunRef) -> Item? { entries[run]?.item }

    /// How many runs are in the queue, in any phase.
    public var count: Int { entries.count }

    public var isEmpty: Bool { entries.isEmpty }

    /// Records whose fold is this state (same items, phases, priorities, tokens, claim counts and
    /// order): what a compacted queue file holds. Open items keep their `enqueue` time; claimed
    /// and running items that were enqueued get their `enqueue` record before the phase's
    /// record; each reopened claim is kept as a `claim` and `reopen` pair.
    public var records: [QueueRecord] {
        var result: [QueueRecord] = []
        for entry in entries.values.sorted(by: { $0.sequence < $1.sequence }) {
            let item = entry.item
            let priority = item.enqueuedAt == nil ? item.priority : nil
            if let enqueuedAt = item.enqueuedAt {
                result.append(QueueRecord(.enqueue, item.run, at: enqueuedAt, priority: item.priority))
            }
            switch item.phase {
            case .open:
                for index in 0..<item.claims {
                    result.append(QueueRecord(.claim, item.run, at: item.since, priority: index == 0 ? priority : nil))
                    result.append(QueueRecord(.reopen, item.run, at: item.since))
                }
            case .claimed:
                for index in 0..<max(0, item.claims - 1) {
                    result.append(QueueRecord(.claim, item.run, at: item.since, priority: index == 0 ? priority : nil))
                    result.append(QueueRecord(.reopen, item.run, at: item.since))
                }
                result.append(QueueRecord(.claim, item.run, at: item.since, priority: item.claims > 1 ? nil : priority,
                                          token: item.token))
            case .running:
                result.append(QueueRecord(.start, item.run, at: item.since,
                                          priority: item.enqueuedAt == nil ? item.priority : nil))
            }
        }
        return result
    }

    /// Two states are equal when they hold the same items in the same phases and order.
    public static func == (lhs: QueueState, rhs: QueueState) -> Bool {
        lhs.open == rhs.open && lhs.claimed == rhs.claimed && lhs.running == rhs.running
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(open)
        hasher.combine(claimed)
        hasher.combine(running)
    }

    private func items(in phase: Phase) -> [Item] {
        entries.values.filter { $0.item.phase == phase }.sorted { $0.sequence < $1.sequence }.map(\.item)
    }
}
