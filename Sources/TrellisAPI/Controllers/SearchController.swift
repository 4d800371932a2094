import Foundation
import Hummingbird
import TrellisCore

/// The search endpoints of API §5: the legacy regular-expression search over DAG files
/// (SearchController+Legacy.swift), the DAG feed and its match pages (here) and the docs feed
/// and its match pages (SearchController+Docs.swift).
///
/// DAG texts come from the catalog (never re-read per request) through a ``DAGSearchIndex``
/// that keeps each file's lower-cased lines while the file is unchanged.
struct SearchController {
    let settings: APIServerSettings
    let environment: APIEnvironment
    let index = DAGSearchIndex()

    /// Default and largest page sizes (API §5.2–§5.5).
    static let feedLimit = 20
    static let matchesLimit = 5
    static let maxLimit = 50

    func register(in table: inout RouteTable<APIHandler>) {
        table.add(.get, "/dags/search") { request in try legacySearch(request) }
        table.add(.get, "/search/dags") { request in try dagFeed(request) }
        table.add(.get, "/search/dags/{fileName}/matches") { request in try dagMatches(request) }
        table.add(.get, "/search/docs") { request in try docFeed(request) }
        table.add(.get, "/search/docs/matches") { request in try docMatches(request) }
    }

    // MARK: - Parameters

    /// `q`: required, not blank.
    static func query(_ request: APIRequest) throws(APIError) -> SearchQuery {
        guard let query = SearchQuery(request.query["q"]) else { throw APIError.badRequest("query parameter 'q' is required") }
        return query
    }

    /// `limit`, defaulted and clamped to 1…50.
    static func limit(_ request: APIRequest, default defaultValue: Int) throws(APIError) -> Int {
        min(maxLimit, max(1, try request.query.int("limit") ?? defaultValue))
    }

    /// The cursor of `scope` issued for `filters`, nil when none was sent; anything else → 400.
    static func cursor(_ request: APIRequest, _ scope: SearchCursor.Scope, _ filters: SearchFilters) throws(APIError) -> SearchCursor? {
        guard let text = request.query["cursor"] else { return nil }
        guard let cursor = SearchCursor.decode(text, scope: scope, filters: filters) else {
            throw APIError.badRequest("invalid search cursor")
        }
        return cursor
    }

    /// The label filter and the text the cursors are bound to.
    static func labels(_ request: APIRequest) throws(APIError) -> (filter: LabelFilter, binding: String) {
        let filter = try LabelFilter(query: request.query)
        return (filter, request.query["labels"] ?? request.query["tags"] ?? "")
    }

    // MARK: - GET /search/dags

    private func dagFeed(_ request: APIRequest) throws -> Response {
        try Identifiers.checkCommon(request.query)
        let query = try Self.query(request)
        let labels = try Self.labels(request)
        let limit = try Self.limit(request, default: Self.feedLimit)
        let filters = SearchFilters(query: query.text, labels: labels.binding)
        let cursor = try Self.cursor(request, .dagFeed, filters)
        var items = index.items(of: environment.catalog)
        if !labels.filter.isEmpty { items = items.filter { labels.filter.matches($0.entry.load.dag?.labels ?? []) } }
        let page = SearchFeedPlanner.page(items, query: query, afterKey: cursor?.afterKey, limit: limit,
                                          key: \.entry.fileName, text: \.text)
        let results = page.items.map { found in
            let fileName = found.item.entry.fileName
            let more = found.firstMatch.hasMore ? found.firstMatch.lastLine.map { line in
                SearchCursor.matches(.dagMatches, filters: matchFilters(filters, target: fileName), afterLine: line).encoded
            } : nil
            return SearchDTO.dagPageItem(fileName: fileName, firstMatch: found.firstMatch, nextMatchesCursor: more)
        }
        let next = page.hasMore ? page.items.last.map { SearchCursor.feed(.dagFeed, filters: filters, afterKey: $0.item.entry.fileName).encoded } : nil
        return JSONResponse.json(SearchDTO.feed(results, hasMore: page.hasMore, nextCursor: next))
    }

    // MARK: - GET /search/dags/{fileName}/matches

    private func dagMatches(_ request: APIRequest) throws -> Response {
        let fileName = try Identifiers.dagName(request.parameter("fileName"))
        try Identifiers.checkCommon(request.query)
        let query = try Self.query(request)
        let labels = try Self.labels(request)
        let limit = try Self.limit(request, default: Self.matchesLimit)
        let filters = matchFilters(SearchFilters(query: query.text, labels: labels.binding), target: fileName)
        let cursor = try Self.cursor(request, .dagMatches, filters)
        guard let item = index.item(fileName: fileName, of: environment.catalog) else { throw APIError.notFound("DAG not found") }
        guard labels.filter.isEmpty || labels.filter.matches(item.entry.load.dag?.labels ?? []) else {
            return JSONResponse.json(SearchDTO.matchesResponse(SearchMatchPage(matches: [], hasMore: false), nextCursor: nil))
        }
        return JSONResponse.json(Self.matchesResponse(item.text, query: query, cursor: cursor, limit: limit,
                                                      scope: .dagMatches, filters: filters))
    }

    /// The feed filters narrowed to one file or doc (match cursors are bound to it).
    func matchFilters(_ filters: SearchFilters, target: String) -> SearchFilters {
        var filters = filters
        filters.target = target
        return filters
    }

    /// A page of matches after the cursor's line, with the cursor of the next page.
    static func matchesResponse(_ text: SearchableText, query: SearchQuery, cursor: SearchCursor?, limit: Int,
                                scope: SearchCursor.Scope, filters: SearchFilters) -> JSONValue {
        let page = text.matches(query, after: cursor?.afterLine ?? 0, limit: limit)
        let next = page.hasMore ? page.lastLine.map { SearchCursor.matches(scope, filters: filters, afterLine: $0).encoded } : nil
        return SearchDTO.matchesResponse(page, nextCursor: next)
    }
}
