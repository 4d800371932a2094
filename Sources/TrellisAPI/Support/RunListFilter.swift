import Foundation
import TrellisCore

/// The filters of `GET /dag-runs` (API §6.1).
struct RunListFilter: Sendable {
    var statuses: Set<RunStatus> = []
    var from: Date?
    var to: Date?
    var runIDPart: String?
    var namePart: String?
    var labels: LabelFilter
    /// Identifies the filters, so a cursor is only valid with the same ones.
    var fingerprint: String

    init(query: QueryParameters, exactName: String?) throws(APIError) {
        for text in query.all("status") where !text.isEmpty {
            if let value = Int(text), let status = RunStatus(rawValue: value) {
                statuses.insert(status)
            } else if let status = RunStatus(label: text) {
                statuses.insert(status)
            } else {
                throw APIError.badRequest("query parameter status: unknown run status \"\(text)\"")
            }
        }
        from = try Self.date(query, "fromDate")
        to = try Self.date(query, "toDate")
        runIDPart = query["dagRunId"].flatMap { $0.isEmpty ? nil : $0 }
        namePart = exactName == nil ? query["name"].flatMap { $0.isEmpty ? nil : $0.lowercased() } : nil
        labels = try LabelFilter(query: query)
        let parts = [statuses.map { String($0.rawValue) }.sorted().joined(separator: ","), from.map { "\($0.timeIntervalSince1970)" } ?? "",
                     to.map { "\($0.timeIntervalSince1970)" } ?? "", runIDPart ?? "", namePart ?? "", exactName ?? "",
                     query["labels"] ?? query["tags"] ?? ""]
        fingerprint = StepLogName.fnv1a(parts.joined(separator: "\u{1}"))
    }

    private static func date(_ query: QueryParameters, _ name: String) throws(APIError) -> Date? {
        guard let text = query[name], !text.isEmpty else { return nil }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        if let date = Timestamps.parse(text) { return date }
        throw APIError.badRequest("query parameter \(name) must be Unix seconds or an RFC 3339 time, got \"\(text)\"")
    }

    func matches(_ entry: RunIndexEntry) -> Bool {
        if !statuses.isEmpty && !statuses.contains(entry.status) { return false }
        if let from, entry.createdAt < from { return false }
        if let to, entry.createdAt > to { return false }
        if let runIDPart, !entry.runId.contains(runIDPart) { return false }
        if let namePart, !entry.dag.lowercased().contains(namePart) { return false }
        if !labels.isEmpty && !labels.matches(strings: entry.labels) { return false }
        return true
    }
}

/// The opaque cursor of run listings: the store page it stopped in and how far into it.
struct RunListCursor: Sendable {
    var storeCursor: String?
    var skip: Int
    var filter: String

    func encoded() -> String {
        let json = JSONValue.object(JSONObject([
            ("c", storeCursor.map { .string($0) } ?? .null), ("s", .integer(skip)), ("f", .string(filter)),
        ])).serialized()
        return Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String, filter: String) throws(APIError) -> RunListCursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
              case .object(let object)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
              case .integer(let skip)? = object["s"], skip >= 0, case .string(let issued)? = object["f"] else {
            throw APIError.badRequest("invalid cursor")
        }
        guard issued == filter else { throw APIError.badRequest("the cursor was issued for other filters") }
        var store: String?
        if case .string(let value)? = object["c"] { store = value }
        return RunListCursor(storeCursor: store, skip: skip, filter: filter)
    }
}
