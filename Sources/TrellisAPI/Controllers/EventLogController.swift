import Foundation
import Hummingbird
import TrellisCore

/// `GET /event-logs` (API §8.1): run lifecycle events, newest first, in offset or cursor mode.
struct EventLogController {
    let environment: APIEnvironment

    /// `limit` default and bounds.
    static let defaultLimit = 50
    static let maxLimit = 500

    func register(in table: inout RouteTable<APIHandler>) {
        table.add(.get, "/event-logs") { request in try list(request) }
    }

    private func list(_ request: APIRequest) throws -> Response {
        let query = request.query
        guard let events = environment.events else {
            throw APIError(.serviceUnavailable, .internalError, "Event logging is not configured")
        }
        try Identifiers.checkCommon(query)
        let parsed = try Self.parse(query)
        let page = try events.page(parsed)
        var object = JSONObject([("entries", .array(page.entries.map(\.json)))])
        if let total = page.total { object["total"] = .integer(total) }
        if let next = page.next {
            object["nextCursor"] = .string(EventCursor(after: next, fingerprint: parsed.filter.fingerprint).encoded)
        }
        return JSONResponse.json(.object(object))
    }

    /// The query of API §8.1; a bad value → 400 naming the parameter.
    static func parse(_ query: QueryParameters) throws(APIError) -> EventQuery {
        var filter = EventFilter()
        if let kind = query["kind"] {
            guard kind == EventLogEntry.dagRunKind || kind == "llm_usage" else {
                throw APIError.badRequest("query parameter kind must be dag_run or llm_usage, got \"\(kind)\"")
            }
            filter.kind = kind
        }
        if let type = query["type"] {
            guard EventType(rawValue: type) != nil else {
                throw APIError.badRequest("query parameter type: unknown event type \"\(type)\"")
            }
            filter.type = type
        }
        filter.dagName = query["dagName"]
        filter.dagRunId = query["dagRunId"]
        filter.attemptId = query["attemptId"]
        filter.matchesNothing = ["sessionId", "userId", "model"].contains { query[$0] != nil }
        filter.startTime = try time(query, "startTime")
        filter.endTime = try time(query, "endTime")
        var limit = try query.int("limit") ?? defaultLimit
        limit = min(max(limit, 1), maxLimit)
        let mode = query["paginationMode"]
        guard mode == nil || mode == "offset" || mode == "cursor" else {
            throw APIError.badRequest("query parameter paginationMode must be offset or cursor, got \"\(mode ?? "")\"")
        }
        let cursorText = query["cursor"]
        let offset = try query.int("offset")
        if mode == "cursor" || cursorText != nil {
            if offset != nil { throw APIError.badRequest("offset cannot be combined with cursor pagination") }
            if mode == "offset" { throw APIError.badRequest("cursor cannot be combined with paginationMode=offset") }
            var after: EventPosition?
            if let cursorText {
                do {
                    after = try EventCursor.decode(cursorText, fingerprint: filter.fingerprint).after
                } catch .otherFilters {
                    throw APIError.badRequest("invalid cursor: it was issued for other filters")
                } catch {
                    throw APIError.badRequest("invalid cursor")
                }
            }
            return EventQuery(filter: filter, limit: limit, pagination: .cursor(after: after))
        }
        return EventQuery(filter: filter, limit: limit, pagination: .offset(max(0, offset ?? 0)))
    }

    private static func time(_ query: QueryParameters, _ name: String) throws(APIError) -> Int64? {
        guard let text = query[name] else { return nil }
        guard let value = EventTime.parse(text) else {
            throw APIError.badRequest("query parameter \(name) must be an RFC 3339 time, got \"\(text)\"")
        }
        return value
    }
}
