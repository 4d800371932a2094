import Foundation

/// The pure part of reading the event log (API §8.1): ordering, de-duplication by ID, filters
/// and the two pagination modes over index items.
public enum EventSelection {
    /// How far `occurredAt` may lie after `recordedAt` (both come from clocks of one machine).
    /// A day file holds entries recorded that UTC day, so none occurred after its end + this.
    public static let clockSlack: Int64 = 3_600_000

    /// Newest first; of entries with the same ID only the first in that order is kept.
    public static func sortedUnique(_ items: [EventIndexItem]) -> [EventIndexItem] {
        let sorted = items.sorted { $0.position.precedes($1.position) }
        var seen = Set<String>()
        seen.reserveCapacity(sorted.count)
        var unique: [EventIndexItem] = []
        unique.reserveCapacity(sorted.count)
        for item in sorted where seen.insert(item.position.id).inserted { unique.append(item) }
        return unique
    }

    /// Merges two lists sorted newest first into one.
    public static func merge(_ left: [EventIndexItem], _ right: [EventIndexItem]) -> [EventIndexItem] {
        guard !right.isEmpty else { return left }
        guard !left.isEmpty else { return right }
        var result: [EventIndexItem] = []
        result.reserveCapacity(left.count + right.count)
        var (i, j) = (0, 0)
        while i < left.count, j < right.count {
            if right[j].position.precedes(left[i].position) {
                result.append(right[j])
                j += 1
            } else {
                result.append(left[i])
                i += 1
            }
        }
        result += left[i...]
        result += right[j...]
        return result
    }

    /// The selected page of `sorted` (newest first, unique).
    public struct Selection: Sendable, Hashable {
        public var items: [EventIndexItem]
        public var total: Int?
        public var next: EventPosition?
    }

    /// Applies the filter and the page of `query` to a complete, sorted, unique list.
    public static func select(_ sorted: [EventIndexItem], query: EventQuery) -> Selection {
        switch query.pagination {
        case .offset(let offset):
            var total = 0
            var page: [EventIndexItem] = []
            for item in sorted where item.matches(query.filter) {
                if total >= offset, page.count < query.limit { page.append(item) }
                total += 1
            }
            return Selection(items: page, total: total, next: nil)
        case .cursor(let after):
            var page: [EventIndexItem] = []
            var more = false
            for item in sorted {
                if let after, !after.precedes(item.position) { continue }
                guard item.matches(query.filter) else { continue }
                if page.count == query.limit {
                    more = true
                    break
                }
                page.append(item)
            }
            return Selection(items: page, total: nil, next: more ? page.last?.position : nil)
        }
    }

    /// Cursor mode reads day files newest first: whether the files read so far (`sorted`) settle
    /// the page, given that no unread entry occurred after `unreadLatest` (ms; `nil`: nothing is
    /// unread). Settled = more than a page of matches after the cursor, the page's last one
    /// newer than anything unread.
    public static func isSettled(_ sorted: [EventIndexItem], query: EventQuery, unreadLatest: Int64?) -> Bool {
        guard let unreadLatest else { return true }
        guard case .cursor(let after) = query.pagination else { return false }
        var count = 0
        for item in sorted {
            if let after, !after.precedes(item.position) { continue }
            guard item.matches(query.filter) else { continue }
            count += 1
            if count == query.limit {
                if item.position.occurredAt <= unreadLatest { return false }
            } else if count > query.limit {
                return true
            }
        }
        return false
    }

    /// The newest `occurredAt` an entry of day file `day` (`YYYY-MM-DD`) can have.
    public static func latestOccurrence(inDay day: String) -> Int64? {
        EventTime.startOfDay(day).map { $0 + 86_400_000 - 1 + clockSlack }
    }
}
