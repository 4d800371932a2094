/// A match (API §9.8 `SearchMatchItem`): the matching line with up to two lines of context on
/// each side.
public struct SearchMatch: Sendable, Equatable {
    /// The snippet lines joined by `\n`.
    public var line: String
    /// The 1-based line of the match.
    public var lineNumber: Int
    /// The 1-based first line of the snippet.
    public var startLine: Int

    public init(line: String, lineNumber: Int, startLine: Int) {
        self.line = line
        self.lineNumber = lineNumber
        self.startLine = startLine
    }

    /// Lines of context on each side of the matching line.
    public static let contextLines = 2

    /// The snippet around the 1-based `lineNumber` of `lines`.
    public static func snippet(_ lines: [String], lineNumber: Int) -> SearchMatch {
        let first = max(1, lineNumber - contextLines)
        let last = min(lines.count, lineNumber + contextLines)
        return SearchMatch(line: lines[(first - 1)..<last].joined(separator: "\n"), lineNumber: lineNumber, startLine: first)
    }
}

/// A page of matches in one file: at most `limit` matches after a line, and whether more follow.
public struct SearchMatchPage: Sendable, Equatable {
    public var matches: [SearchMatch]
    /// Another matching line follows the last one returned.
    public var hasMore: Bool

    public init(matches: [SearchMatch], hasMore: Bool) {
        self.matches = matches
        self.hasMore = hasMore
    }

    /// The line number a cursor for the next page resumes after (the last match's line).
    public var lastLine: Int? { matches.last?.lineNumber }
}

extension SearchableText {
    /// The first `limit` matching lines after line `after` (0 = from the start), as snippets,
    /// and whether another matching line follows them.
    public func matches(_ query: SearchQuery, after: Int = 0, limit: Int) -> SearchMatchPage {
        var matches: [SearchMatch] = []
        var position = max(after, 0)
        while let line = firstMatchingLine(query, after: position) {
            if matches.count == limit { return SearchMatchPage(matches: matches, hasMore: true) }
            matches.append(SearchMatch.snippet(lines, lineNumber: line))
            position = line
        }
        return SearchMatchPage(matches: matches, hasMore: false)
    }
}
