import Foundation
import TrellisCore

/// Reads a log file as the `Log` object of API §9.8 with `tail`/`head`/`offset`/`limit`
/// (precedence tail > head > offset+limit > first `limit` lines).
enum LogSlice {
    static let defaultLimit = 1000
    static let maxLimit = 10_000

    static func read(_ path: String, query: QueryParameters) throws(APIError) -> JSONValue {
        let tail = try query.int("tail")
        let head = try query.int("head")
        let offset = try query.int("offset")
        let limit = min(maxLimit, max(1, try query.int("limit") ?? defaultLimit))
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APIError.notFound("log file not found")
        }
        if data.isEmpty { return .object(JSONObject([("content", .string(""))])) }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let total = lines.count
        let selected: ArraySlice<String>
        var hasMore = false
        if let tail, tail > 0 {
            selected = lines.suffix(min(tail, maxLimit))
            hasMore = selected.count < total
        } else if let head, head > 0 {
            selected = lines.prefix(min(head, maxLimit))
            hasMore = selected.count < total
        } else {
            let start = max(1, offset ?? 1) - 1
            selected = lines.dropFirst(start).prefix(limit)
            hasMore = start + selected.count < total
        }
        var object = JSONObject([("content", .string(selected.joined(separator: "\n")))])
        if !selected.isEmpty { object["lineCount"] = .integer(selected.count) }
        if total > 0 { object["totalLines"] = .integer(total) }
        if hasMore { object["hasMore"] = .bool(true) }
        return .object(object)
    }
}
