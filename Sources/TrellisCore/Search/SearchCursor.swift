import Foundation

/// The opaque cursor of the search feeds and match pages (API §1.6, §5): where the previous page
/// ended, bound to the filters it was issued for. The text is base64url (no padding) of a small
/// JSON object; a cursor decoded for another scope or other filters is refused.
public struct SearchCursor: Sendable, Equatable {
    /// Which listing a cursor continues.
    public enum Scope: String, Sendable {
        /// `GET /search/dags`: position = last file name.
        case dagFeed = "dags"
        /// `GET /search/dags/{fileName}/matches`: position = last line.
        case dagMatches = "dag-matches"
        /// `GET /search/docs`: position = last doc id.
        case docFeed = "docs"
        /// `GET /search/docs/matches`: position = last line.
        case docMatches = "doc-matches"

        var isFeed: Bool { self == .dagFeed || self == .docFeed }
    }

    public let scope: Scope
    /// The digest of the filters (``SearchFilters/digest``).
    public let filter: String
    /// Feeds: the key of the last item returned.
    public let afterKey: String
    /// Match pages: the 1-based line of the last match returned.
    public let afterLine: Int

    /// A feed cursor: the next page starts after the item `afterKey`.
    public static func feed(_ scope: Scope, filters: SearchFilters, afterKey: String) -> SearchCursor {
        SearchCursor(scope: scope, filter: filters.digest, afterKey: afterKey, afterLine: 0)
    }

    /// A match-page cursor: the next page starts after line `afterLine`.
    public static func matches(_ scope: Scope, filters: SearchFilters, afterLine: Int) -> SearchCursor {
        SearchCursor(scope: scope, filter: filters.digest, afterKey: "", afterLine: afterLine)
    }

    /// The opaque text.
    public var encoded: String {
        var object = JSONObject([("s", .string(scope.rawValue)), ("f", .string(filter))])
        if scope.isFeed { object["k"] = .string(afterKey) } else { object["l"] = .integer(afterLine) }
        return Data(JSONValue.object(object).serialized().utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `text` as a cursor of `scope` issued for `filters`; nil when it is garbled, of
    /// another scope, or bound to other filters.
    public static func decode(_ text: String, scope: Scope, filters: SearchFilters) -> SearchCursor? {
        guard text.utf8.count <= 4096, text.utf8.allSatisfy(Self.isBase64URL) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let json = String(data: data, encoding: .utf8),
              case .object(let object)? = try? JSONValue.parse(json),
              object["s"]?.stringValue == scope.rawValue,
              object["f"]?.stringValue == filters.digest else { return nil }
        if scope.isFeed {
            guard let key = object["k"]?.stringValue, !key.isEmpty else { return nil }
            return .feed(scope, filters: filters, afterKey: key)
        }
        guard let line = object["l"]?.intValue, line >= 1 else { return nil }
        return .matches(scope, filters: filters, afterLine: line)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

/// What a search cursor is bound to: the query, the label filter and, for match pages, the
/// file or doc searched.
public struct SearchFilters: Sendable, Equatable {
    public var query: String
    public var labels: String
    public var target: String

    public init(query: String, labels: String = "", target: String = "") {
        self.query = query
        self.labels = labels
        self.target = target
    }

    /// A stable digest (hex of the first 12 bytes of SHA-256), the same in every process.
    public var digest: String {
        let bytes = SHA256.hash(Array("\(query)\u{0}\(labels)\u{0}\(target)".utf8))
        return bytes.prefix(12).map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
