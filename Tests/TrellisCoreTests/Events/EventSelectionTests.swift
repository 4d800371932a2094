import Foundation
import Testing
@testable import TrellisCore

@Suite("Event filters, ordering, pages and cursors (API §8.1)")
struct EventSelectionTests {
    static func entry(_ id: String, _ occurred: Int64, recorded: Int64? = nil, type: EventType = .running,
                      dag: String = "a", run: String = "r", attempt: String = "t") -> EventLogEntry {
        EventLogEntry(id: id, occurredAt: occurred, recordedAt: recorded ?? occurred, type: type.rawValue, sourceService: "cli",
                      dagName: dag, dagRunId: run, attemptId: attempt)
    }

    static func items(_ entries: [EventLogEntry]) -> [EventIndexItem] {
        entries.enumerated().map { EventIndexItem(entry: $1, file: 0, offset: Int64($0), length: 1) }
    }

    static func ids(_ items: [EventIndexItem]) -> [String] { items.map(\.position.id) }

    @Test("newest first by occurredAt, then recordedAt, then id; duplicates by id keep the first")
    func ordering() {
        let sorted = EventSelection.sortedUnique(Self.items([
            Self.entry("b", 10), Self.entry("a", 10), Self.entry("c", 10, recorded: 11), Self.entry("d", 20), Self.entry("a", 5),
        ]))
        #expect(Self.ids(sorted) == ["d", "c", "b", "a"])
        #expect(sorted.last?.position.occurredAt == 10)
    }

    @Test("merging two sorted lists keeps the order")
    func merging() {
        let left = EventSelection.sortedUnique(Self.items([Self.entry("a", 10), Self.entry("c", 30), Self.entry("e", 50)]))
        let right = EventSelection.sortedUnique(Self.items([Self.entry("b", 20), Self.entry("f", 60), Self.entry("d", 40)]))
        #expect(Self.ids(EventSelection.merge(left, right)) == ["f", "e", "d", "c", "b", "a"])
        #expect(Self.ids(EventSelection.merge(left, [])) == ["e", "c", "a"])
        #expect(Self.ids(EventSelection.merge([], right)) == ["f", "d", "b"])
    }

    @Test("every filter narrows the matches")
    func filters() {
        let entry = Self.entry("x", 1_000, type: .failed, dag: "etl", run: "r1", attempt: "t1")
        #expect(EventFilter().matches(entry))
        #expect(EventFilter(kind: "dag_run").matches(entry))
        #expect(!EventFilter(kind: "llm_usage").matches(entry))
        #expect(EventFilter(type: "dag.run.failed").matches(entry))
        #expect(!EventFilter(type: "dag.run.running").matches(entry))
        #expect(EventFilter(dagName: "etl", dagRunId: "r1", attemptId: "t1").matches(entry))
        #expect(!EventFilter(dagName: "et").matches(entry))
        #expect(!EventFilter(dagRunId: "r2").matches(entry))
        #expect(!EventFilter(attemptId: "t2").matches(entry))
        #expect(!EventFilter(matchesNothing: true).matches(entry))
        #expect(EventFilter(startTime: 1_000, endTime: 1_000).matches(entry))
        #expect(!EventFilter(startTime: 1_001).matches(entry))
        #expect(!EventFilter(endTime: 999).matches(entry))
    }

    static let hundred = EventSelection.sortedUnique(items((0..<100).map { entry("e\($0)", Int64($0 / 3)) }))

    @Test("offset pages report the total; walking them yields every entry once")
    func offsetWalk() {
        var seen: [String] = []
        var offset = 0
        while true {
            let page = EventSelection.select(Self.hundred, query: EventQuery(limit: 7, pagination: .offset(offset)))
            #expect(page.total == 100)
            #expect(page.next == nil)
            if page.items.isEmpty { break }
            seen += Self.ids(page.items)
            offset += page.items.count
        }
        #expect(seen == Self.ids(Self.hundred))
    }

    @Test("cursor pages walk every entry once; the last page has no next position")
    func cursorWalk() {
        var seen: [String] = []
        var after: EventPosition?
        var pages = 0
        repeat {
            let page = EventSelection.select(Self.hundred, query: EventQuery(limit: 7, pagination: .cursor(after: after)))
            #expect(page.total == nil)
            seen += Self.ids(page.items)
            after = page.next
            pages += 1
        } while after != nil
        #expect(seen == Self.ids(Self.hundred))
        #expect(pages == 15)
        // Exactly a page left: no next.
        let exact = EventSelection.select(Array(Self.hundred.prefix(7)), query: EventQuery(limit: 7, pagination: .cursor(after: nil)))
        #expect(exact.items.count == 7 && exact.next == nil)
    }

    @Test("a page is settled once it is full and newer than anything unread")
    func settled() {
        let query = EventQuery(limit: 2, pagination: .cursor(after: nil))
        let read = EventSelection.sortedUnique(Self.items([Self.entry("a", 100), Self.entry("b", 90), Self.entry("c", 80)]))
        #expect(EventSelection.isSettled(read, query: query, unreadLatest: nil))
        #expect(EventSelection.isSettled(read, query: query, unreadLatest: 89))
        #expect(!EventSelection.isSettled(read, query: query, unreadLatest: 90))
        #expect(!EventSelection.isSettled(Array(read.prefix(2)), query: query, unreadLatest: 10))
        #expect(!EventSelection.isSettled(read, query: EventQuery(limit: 2), unreadLatest: 10))
    }

    @Test("cursors round-trip, are bound to the filters, and reject garbage")
    func cursors() throws {
        let filter = EventFilter(dagName: "etl")
        let cursor = EventCursor(after: EventPosition(occurredAt: 5, recordedAt: 6, id: "dag_x"), fingerprint: filter.fingerprint)
        let text = cursor.encoded
        #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
        #expect(try EventCursor.decode(text, fingerprint: filter.fingerprint) == cursor)
        #expect(throws: EventCursor.DecodingError.otherFilters) {
            try EventCursor.decode(text, fingerprint: EventFilter(dagName: "other").fingerprint)
        }
        for garbage in ["", "!!!", "bm90IGpzb24", "e30"] {
            #expect(throws: EventCursor.DecodingError.malformed) { try EventCursor.decode(garbage, fingerprint: filter.fingerprint) }
        }
        #expect(EventFilter().fingerprint != EventFilter(startTime: 1).fingerprint)
    }

    @Test("timestamps: the stored form parses by hand, others through Foundation; day files by UTC date")
    func times() {
        #expect(EventTime.parse("2026-11-29T05:36:01.123Z") == 1_795_930_561_123)
        #expect(EventTime.parse("2026-11-29T05:36:01Z") == 1_795_930_561_000)
        #expect(EventTime.parse("2026-11-29T14:36:01.123+09:00") == 1_795_930_561_123)
        #expect(EventTime.parse("2026-02-30T00:00:00Z") == nil)
        #expect(EventTime.parse("yesterday") == nil)
        #expect(EventTime.format(1_795_930_561_123) == "2026-11-29T05:36:01.123Z")
        #expect(EventTime.day(1_795_930_561_123) == "2026-11-29")
        #expect(EventTime.startOfDay("2026-11-29") == 1_795_910_400_000)
        #expect(EventTime.startOfDay("2026-11-2x") == nil)
        let latest: Int64 = 1_795_910_400_000 + 86_400_000 - 1 + 3_600_000
        #expect(EventSelection.latestOccurrence(inDay: "2026-11-29") == latest)
        #expect(EventTime.parse("2026-13-01T00:00:00Z") == nil)
        #expect(EventTime.parse("2026-11-29T05:36:01.500+00:00") == 1_795_930_561_500)
    }
}
