import Foundation
import Synchronization
import TrellisCore

/// An event log held in memory, for unit tests: appends are kept in order and pages are
/// selected with the same rules as the file reader.
public final class InMemoryEventLog: EventLog, EventLogReading {
    private let state = Mutex<[(EventLogEntry, Durability)]>([])

    public init() {}

    public func append(_ entry: EventLogEntry, durability: Durability) throws(StoreError) {
        state.withLock { $0.append((entry, durability)) }
    }

    /// Every appended entry, oldest first.
    public var entries: [EventLogEntry] { state.withLock { $0.map(\.0) } }

    public func page(_ query: EventQuery) throws(StoreError) -> EventPage {
        let all = entries
        let items = all.enumerated().map { EventIndexItem(entry: $0.element, file: 0, offset: Int64($0.offset), length: 0) }
        let selection = EventSelection.select(EventSelection.sortedUnique(items), query: query)
        return EventPage(entries: selection.items.map { all[Int($0.offset)] }, total: selection.total, next: selection.next)
    }
}
