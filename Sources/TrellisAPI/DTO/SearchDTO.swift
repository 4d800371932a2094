import TrellisCore

/// The search shapes of API §5 and §9.8.
enum SearchDTO {
    /// `SearchMatchItem {line, lineNumber, startLine}`.
    static func match(_ match: SearchMatch) -> JSONValue {
        .object(JSONObject([
            ("line", .string(match.line)), ("lineNumber", .integer(match.lineNumber)), ("startLine", .integer(match.startLine)),
        ]))
    }

    static func matches(_ matches: [SearchMatch]) -> JSONValue {
        .array(matches.map(match))
    }

    /// `SearchMatchesResponse {matches, hasMore, nextCursor?}`.
    static func matchesResponse(_ page: SearchMatchPage, nextCursor: String?) -> JSONValue {
        var object = JSONObject([("matches", matches(page.matches)), ("hasMore", .bool(page.hasMore))])
        if let nextCursor { object["nextCursor"] = .string(nextCursor) }
        return .object(object)
    }

    /// A feed page `{results, hasMore, nextCursor?}`.
    static func feed(_ results: [JSONValue], hasMore: Bool, nextCursor: String?) -> JSONValue {
        var object = JSONObject([("results", .array(results)), ("hasMore", .bool(hasMore))])
        if let nextCursor { object["nextCursor"] = .string(nextCursor) }
        return .object(object)
    }

    /// `DAGSearchPageItem {fileName, name, hasMoreMatches, nextMatchesCursor?, matches}`.
    static func dagPageItem(fileName: String, firstMatch: SearchMatchPage, nextMatchesCursor: String?) -> JSONValue {
        var object = JSONObject([
            ("fileName", .string(fileName)), ("name", .string(fileName)), ("hasMoreMatches", .bool(firstMatch.hasMore)),
        ])
        if let nextMatchesCursor { object["nextMatchesCursor"] = .string(nextMatchesCursor) }
        object["matches"] = matches(firstMatch.matches)
        return .object(object)
    }

    /// `DocSearchPageItem {id, title, description, hasMoreMatches, nextMatchesCursor?, matches}`.
    static func docPageItem(_ document: Document, firstMatch: SearchMatchPage, nextMatchesCursor: String?) -> JSONValue {
        var object = JSONObject([
            ("id", .string(document.id)), ("title", .string(document.title)), ("description", .string(document.description)),
            ("hasMoreMatches", .bool(firstMatch.hasMore)),
        ])
        if let nextMatchesCursor { object["nextMatchesCursor"] = .string(nextMatchesCursor) }
        object["matches"] = matches(firstMatch.matches)
        return .object(object)
    }

    /// `SearchResultItem {name, dag, matches}` of the legacy search (§5.1).
    static func resultItem(fileName: String, dag: JSONValue, matches: [SearchMatch]) -> JSONValue {
        .object(JSONObject([("name", .string(fileName)), ("dag", dag), ("matches", self.matches(matches))]))
    }
}
