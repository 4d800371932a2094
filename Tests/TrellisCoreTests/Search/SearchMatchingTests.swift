import Testing
import TrellisCore

/// The pure matcher of API §5: case-insensitive literal substring per line, snippets with two
/// lines of context, pages of matches.
@Suite("Search: matching and snippets")
struct SearchMatchingTests {
    static let text = """
        one
        two Alpha
        three
        four
        five ALPHA alpha
        six
        seven
        eight alpha
        """

    private func query(_ text: String) throws -> SearchQuery {
        try #require(SearchQuery(text))
    }

    @Test("q missing or blank is refused", arguments: [nil, "", " ", "\t\n"] as [String?])
    func blankQuery(text: String?) {
        #expect(SearchQuery(text) == nil)
    }

    @Test("case-insensitive literal substring: one match per line, in line order")
    func caseInsensitive() throws {
        let searchable = SearchableText(Self.text)
        let page = searchable.matches(try query("aLpHa"), limit: 50)
        #expect(page.matches.map(\.lineNumber) == [2, 5, 8])
        #expect(page.hasMore == false)
        // Literal: regular expression characters mean themselves.
        #expect(SearchableText("a.c\nabc\n").matches(try query("a.c"), limit: 10).matches.map(\.lineNumber) == [1])
        #expect(SearchableText("x (y)*\n").matches(try query("(Y)*"), limit: 10).matches.map(\.lineNumber) == [1])
        #expect(searchable.matches(try query("nowhere"), limit: 5) == SearchMatchPage(matches: [], hasMore: false))
    }

    @Test("snippets: up to two lines of context each side, clipped at the file's ends")
    func snippets() throws {
        let matches = SearchableText(Self.text).matches(try query("alpha"), limit: 10).matches
        #expect(matches[0] == SearchMatch(line: "one\ntwo Alpha\nthree\nfour", lineNumber: 2, startLine: 1))
        #expect(matches[1] == SearchMatch(line: "three\nfour\nfive ALPHA alpha\nsix\nseven", lineNumber: 5, startLine: 3))
        #expect(matches[2] == SearchMatch(line: "six\nseven\neight alpha", lineNumber: 8, startLine: 6))
        let single = SearchableText("only alpha").matches(try query("ALPHA"), limit: 1).matches
        #expect(single == [SearchMatch(line: "only alpha", lineNumber: 1, startLine: 1)])
    }

    @Test("pages: limit, hasMore, resuming after a line")
    func pages() throws {
        let searchable = SearchableText(Self.text)
        let q = try query("alpha")
        let first = searchable.matches(q, limit: 2)
        #expect(first.matches.map(\.lineNumber) == [2, 5])
        #expect(first.hasMore)
        #expect(first.lastLine == 5)
        let second = searchable.matches(q, after: 5, limit: 2)
        #expect(second.matches.map(\.lineNumber) == [8])
        #expect(second.hasMore == false)
        #expect(searchable.matches(q, after: 8, limit: 2).matches.isEmpty)
        #expect(searchable.matches(q, after: 100, limit: 2).matches.isEmpty)
        let exact = searchable.matches(q, limit: 3)
        #expect(exact.matches.count == 3 && exact.hasMore == false)
    }

    @Test("line endings: CRLF is stripped, no phantom last line, a query never spans lines")
    func lineEndings() throws {
        let crlf = SearchableText("a\r\nbeta\r\nc\r\n")
        #expect(crlf.lines == ["a", "beta", "c"])
        #expect(crlf.matches(try query("beta"), limit: 5).matches == [SearchMatch(line: "a\nbeta\nc", lineNumber: 2, startLine: 1)])
        #expect(SearchableText("a\nb").matches(try query("a\nb"), limit: 5).matches.isEmpty)
        #expect(SearchableText("").lineCount == 0)
        #expect(SearchableText("").matches(try query("x"), limit: 5).matches.isEmpty)
        #expect(SearchableText("\n\nx\n").matches(try query("x"), limit: 5).matches.map(\.lineNumber) == [3])
    }

    @Test("non-ASCII text: case folding and line numbers stay right")
    func unicode() throws {
        let searchable = SearchableText("Ünïcode Straße\nÉTÉ\nnormal été")
        #expect(searchable.matches(try query("été"), limit: 5).matches.map(\.lineNumber) == [2, 3])
        #expect(searchable.matches(try query("ünÏ"), limit: 5).matches.map(\.lineNumber) == [1])
        #expect(searchable.matches(try query("STRASSE"), limit: 5).matches.isEmpty) // lower-casing, not full folding
    }
}
