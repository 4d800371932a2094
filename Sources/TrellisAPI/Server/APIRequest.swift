import Foundation
import HTTPTypes
import NIOCore
import TrellisCore

/// What a handler sees of a request: decoded path parameters, query, body, request id.
public struct APIRequest: Sendable {
    public var method: HTTPRequest.Method
    /// Percent-decoded path parameters by name.
    public var parameters: [String: String]
    public var query: QueryParameters
    public var headers: HTTPFields
    /// The body bytes (at most the limit), empty when none was sent.
    public var body: [UInt8]
    public var requestID: String

    /// A path parameter (present by construction of the route).
    public func parameter(_ name: String) -> String {
        parameters[name] ?? ""
    }

    /// The body as a JSON object: empty body → `{}`; malformed JSON or a non-object → 400.
    public func jsonObject() throws(APIError) -> JSONObject {
        let text = String(decoding: body, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return JSONObject([]) }
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw APIError.badRequest("malformed JSON body: \(error.message)")
        }
        guard case .object(let object) = value else {
            throw APIError.badRequest("the request body must be a JSON object")
        }
        return object
    }
}

/// Query parameters in order, percent-decoded (`+` is a space).
public struct QueryParameters: Sendable {
    public private(set) var items: [(String, String)] = []

    public init(_ query: String) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(String(parts[0]), plusIsSpace: true) ?? String(parts[0])
            let value = parts.count > 1 ? (PercentDecoding.decode(String(parts[1]), plusIsSpace: true) ?? String(parts[1])) : ""
            items.append((name, value))
        }
    }

    /// The first value of `name`; an empty value counts as absent (API §1.2).
    public subscript(name: String) -> String? {
        guard let value = items.first(where: { $0.0 == name })?.1, !value.isEmpty else { return nil }
        return value
    }

    /// Every value of `name` (repeated parameters).
    public func all(_ name: String) -> [String] { items.filter { $0.0 == name }.map(\.1) }

    /// An integer parameter; a non-integer → 400 naming it.
    public func int(_ name: String) throws(APIError) -> Int? {
        guard let text = self[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("query parameter \(name) must be an integer, got \"\(text)\"") }
        return value
    }
}

/// Percent-decoding that reports malformed escapes instead of guessing.
public enum PercentDecoding {
    public static func decode(_ text: String, plusIsSpace: Bool = false) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
