import Foundation

/// How a page is addressed (API §1.6).
public enum EventPagination: Sendable, Hashable {
    /// Skip this many matches; the page reports `total`.
    case offset(Int)
    /// Entries after this position (`nil`: from the newest); the page reports the last position
    /// when more entries exist.
    case cursor(after: EventPosition?)
}

/// One `GET /event-logs` request: filters, page size and position.
public struct EventQuery: Sendable, Hashable {
    public var filter: EventFilter
    /// 1–500.
    public var limit: Int
    public var pagination: EventPagination

    public init(filter: EventFilter = EventFilter(), limit: Int = 50, pagination: EventPagination = .offset(0)) {
        self.filter = filter
        self.limit = limit
        self.pagination = pagination
    }
}

/// A page of entries, newest first.
public struct EventPage: Sendable, Hashable {
    public var entries: [EventLogEntry]
    /// Offset mode: how many entries match.
    public var total: Int?
    /// Cursor mode: the position of the page's last entry when more entries exist.
    public var next: EventPosition?

    public init(entries: [EventLogEntry], total: Int? = nil, next: EventPosition? = nil) {
        self.entries = entries
        self.total = total
        self.next = next
    }
}
