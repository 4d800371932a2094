import Foundation
import Hummingbird
import TrellisCore

/// `GET /search/docs` and `GET /search/docs/matches` (API §5.4, §5.5).
extension SearchController {
    func docFeed(_ request: APIRequest) throws -> Response {
        try Identifiers.checkCommon(request.query)
        let query = try Self.query(request)
        let limit = try Self.limit(request, default: Self.feedLimit)
        let filters = SearchFilters(query: query.text)
        let cursor = try Self.cursor(request, .docFeed, filters)
        let documents = environment.docs?.documents() ?? []
        let page = SearchFeedPlanner.page(documents, query: query, afterKey: cursor?.afterKey, limit: limit, key: \.id, text: \.text)
        let results = page.items.map { found in
            let more = found.firstMatch.hasMore ? found.firstMatch.lastLine.map { line in
                SearchCursor.matches(.docMatches, filters: matchFilters(filters, target: found.item.id), afterLine: line).encoded
            } : nil
            return SearchDTO.docPageItem(found.item, firstMatch: found.firstMatch, nextMatchesCursor: more)
        }
        let next = page.hasMore ? page.items.last.map { SearchCursor.feed(.docFeed, filters: filters, afterKey: $0.item.id).encoded } : nil
        return JSONResponse.json(SearchDTO.feed(results, hasMore: page.hasMore, nextCursor: next))
    }

    func docMatches(_ request: APIRequest) throws -> Response {
        try Identifiers.checkCommon(request.query)
        guard let path = request.query["path"] else { throw APIError.badRequest("query parameter 'path' is required") }
        if let problem = DocumentID.problem(path) { throw APIError.badRequest("invalid doc path: \(problem)") }
        let query = try Self.query(request)
        let limit = try Self.limit(request, default: Self.matchesLimit)
        let filters = SearchFilters(query: query.text, target: path)
        let cursor = try Self.cursor(request, .docMatches, filters)
        guard let document = environment.docs?.documents().first(where: { $0.id == path }) else {
            throw APIError.notFound("Document not found")
        }
        return JSONResponse.json(Self.matchesResponse(document.text, query: query, cursor: cursor, limit: limit,
                                                      scope: .docMatches, filters: filters))
    }
}
