import Foundation
import TrellisCore

/// The position after the last entry of a page: its day, creation instant, DAG name and run
/// ID, plus the listing's scope (a DAG name or `*`) so a cursor is not reused for another listing.
/// Opaque to clients: base64url of a small JSON object.
struct ListingCursor: Codable, Hashable {
    var scope: String
    var day: String
    var key: RunOrderKey

    private enum CodingKeys: String, CodingKey {
        case scope = "s", day = "d", createdAt = "t", name = "n", id = "i"
    }

    init(scope: String, day: String, key: RunOrderKey) {
        self.scope = scope
        self.day = day
        self.key = key
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scope = try container.decode(String.self, forKey: .scope)
        day = try container.decode(String.self, forKey: .day)
        key = RunOrderKey(
            millis: try container.decode(Int64.self, forKey: .createdAt),
            name: try container.decode(String.self, forKey: .name),
            id: try container.decode(String.self, forKey: .id)
        )
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scope, forKey: .scope)
        try container.encode(day, forKey: .day)
        try container.encode(key.millis, forKey: .createdAt)
        try container.encode(key.name, forKey: .name)
        try container.encode(key.id, forKey: .id)
    }

    /// The opaque text.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a cursor of the listing `scope`; anything else is ``StoreError/Code/invalid``.
    static func decode(_ text: String, scope: String) throws(StoreError) -> ListingCursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let cursor = try? JSONDecoder().decode(ListingCursor.self, from: data),
              UTCDay.dayNumber(cursor.day) != nil else {
            throw StoreError(.invalid, "invalid cursor \"\(text)\"")
        }
        guard cursor.scope == scope else {
            throw StoreError(.invalid, "cursor \"\(text)\" belongs to another listing (\(cursor.scope), not \(scope))")
        }
        return cursor
    }
}

/// The listing order of runs (§17.2): creation time descending (millisecond precision, as
/// stored), then DAG name ascending, then run ID ascending. `a < b` means `a` is listed first.
struct RunOrderKey: Hashable, Comparable {
    var millis: Int64
    var name: String
    var id: String

    init(millis: Int64, name: String, id: String) {
        self.millis = millis
        self.name = name
        self.id = id
    }

    init(_ entry: RunIndexEntry) {
        self.init(millis: UTCDay.milliseconds(entry.createdAt), name: entry.dag, id: entry.runId)
    }

    static func < (lhs: RunOrderKey, rhs: RunOrderKey) -> Bool {
        if lhs.millis != rhs.millis { return lhs.millis > rhs.millis }
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        return lhs.id < rhs.id
    }
}
