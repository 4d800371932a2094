import Foundation
import Testing
import TrellisCore

/// Search cursors (API §1.6, §5): opaque, bound to scope and filters, garbage refused; and the
/// feed planner's pages.
@Suite("Search: cursors and feed pages")
struct SearchCursorTests {
    let filters = SearchFilters(query: "alpha", labels: "team=data")

    @Test("round trip: feed and match cursors")
    func roundTrip() throws {
        let feed = SearchCursor.feed(.dagFeed, filters: filters, afterKey: "etl-2")
        #expect(SearchCursor.decode(feed.encoded, scope: .dagFeed, filters: filters) == feed)
        let matches = SearchCursor.matches(.docMatches, filters: filters, afterLine: 42)
        #expect(SearchCursor.decode(matches.encoded, scope: .docMatches, filters: filters)?.afterLine == 42)
        // base64url without padding.
        #expect(!feed.encoded.contains("=") && !feed.encoded.contains("+") && !feed.encoded.contains("/"))
    }

    @Test("a cursor of other filters or another scope is refused")
    func binding() {
        let feed = SearchCursor.feed(.dagFeed, filters: filters, afterKey: "etl").encoded
        #expect(SearchCursor.decode(feed, scope: .dagFeed, filters: SearchFilters(query: "beta", labels: "team=data")) == nil)
        #expect(SearchCursor.decode(feed, scope: .dagFeed, filters: SearchFilters(query: "alpha")) == nil)
        #expect(SearchCursor.decode(feed, scope: .docFeed, filters: filters) == nil)
        #expect(SearchCursor.decode(feed, scope: .dagMatches, filters: filters) == nil)
        let match = SearchCursor.matches(.dagMatches, filters: SearchFilters(query: "alpha", target: "a"), afterLine: 3).encoded
        #expect(SearchCursor.decode(match, scope: .dagMatches, filters: SearchFilters(query: "alpha", target: "b")) == nil)
    }

    @Test("garbage is refused", arguments: [
        "", "!!!", "bm90IGpzb24", "e30", String(repeating: "A", count: 5000),
        Data(#"{"s":"dags","f":"x","k":"a"}"#.utf8).base64EncodedString(),
    ])
    func garbage(text: String) {
        #expect(SearchCursor.decode(text, scope: .dagFeed, filters: filters) == nil)
    }

    @Test("a match cursor needs a positive line; a feed cursor a non-empty key")
    func positions() throws {
        func forged(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let digest = filters.digest
        #expect(SearchCursor.decode(forged(#"{"s":"dag-matches","f":"\#(digest)","l":0}"#), scope: .dagMatches, filters: filters) == nil)
        #expect(SearchCursor.decode(forged(#"{"s":"dag-matches","f":"\#(digest)","l":"3"}"#), scope: .dagMatches, filters: filters) == nil)
        #expect(SearchCursor.decode(forged(#"{"s":"dags","f":"\#(digest)","k":""}"#), scope: .dagFeed, filters: filters) == nil)
        #expect(SearchCursor.decode(forged(#"{"s":"dags","f":"\#(digest)","k":"b"}"#), scope: .dagFeed, filters: filters)?.afterKey == "b")
    }

    @Test("the digest is stable across processes (no seeded hashing)")
    func stableDigest() {
        #expect(SearchFilters(query: "q").digest == SearchFilters(query: "q").digest)
        #expect(SearchFilters(query: "q").digest.count == 24)
        #expect(SearchFilters(query: "q", labels: "a").digest != SearchFilters(query: "qa").digest)
    }

    @Test("feed pages: walking every page yields every matching item once, in key order")
    func feedWalk() throws {
        struct Item: Sendable { var key: String; var text: SearchableText }
        let items = (0..<23).map { index in
            Item(key: String(format: "f%03d", index), text: SearchableText(index % 3 == 0 ? "no\nnothing" : "x\nneedle \(index)\nneedle"))
        }
        let q = try #require(SearchQuery("NEEDLE"))
        var seen: [String] = []
        var after: String?
        var pages = 0
        repeat {
            let page = SearchFeedPlanner.page(items, query: q, afterKey: after, limit: 4, key: \.key, text: \.text)
            seen += page.items.map(\.item.key)
            #expect(page.items.allSatisfy { $0.firstMatch.matches.count == 1 && $0.firstMatch.hasMore })
            #expect(page.items.allSatisfy { $0.firstMatch.matches[0].lineNumber == 2 })
            after = page.hasMore ? page.items.last?.item.key : nil
            pages += 1
        } while after != nil && pages < 100
        let expected = items.filter { Int($0.key.dropFirst())! % 3 != 0 }.map(\.key)
        #expect(seen == expected)
        #expect(pages == (expected.count + 3) / 4)
        // Exactly `limit` items left: no further page is announced.
        let last = SearchFeedPlanner.page(items, query: q, afterKey: expected[expected.count - 5], limit: 4, key: \.key, text: \.text)
        #expect(last.items.count == 4 && last.hasMore == false)
    }
}
