import Foundation

/// The opaque cursor of event log pages (API §1.6): the last entry's position and the filter
/// fingerprint, as base64url JSON without padding.
public struct EventCursor: Sendable, Hashable {
    public var after: EventPosition
    public var fingerprint: String

    public init(after: EventPosition, fingerprint: String) {
        self.after = after
        self.fingerprint = fingerprint
    }

    public var encoded: String {
        let json = JSONValue.object(JSONObject([
            ("o", .integer(Int(after.occurredAt))), ("r", .integer(Int(after.recordedAt))), ("i", .string(after.id)),
            ("f", .string(fingerprint)),
        ])).serialized()
        return Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public enum DecodingError: Error, Sendable, Hashable {
        /// Not a cursor this server issued.
        case malformed
        /// Issued for other filters.
        case otherFilters
    }

    /// Decodes a cursor and checks it was issued for `fingerprint`.
    public static func decode(_ text: String, fingerprint expected: String) throws(DecodingError) -> EventCursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count < 4096, let data = Data(base64Encoded: base64),
              case .object(let object)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
              case .integer(let occurred)? = object["o"], case .integer(let recorded)? = object["r"],
              case .string(let id)? = object["i"], case .string(let fingerprint)? = object["f"] else {
            throw .malformed
        }
        guard fingerprint == expected else { throw .otherFilters }
        return EventCursor(after: EventPosition(occurredAt: Int64(occurred), recordedAt: Int64(recorded), id: id),
                           fingerprint: fingerprint)
    }
}
