import Foundation
import HTTPTypes
import TrellisCore

/// API §2: none, basic or token authentication with constant-time comparison.
public struct Authenticator: Sendable {
    public enum Mode: String, Sendable {
        case none
        case basic
        case token
    }

    public let mode: Mode
    private let basicDigest: [UInt8]?
    private let tokenDigests: [[UInt8]]

    /// `username`/`password` for basic; `tokens` accepted as Bearer in both basic and token modes.
    public init(mode: Mode, username: String? = nil, password: String? = nil, tokens: [String] = []) {
        self.mode = mode
        if let username, let password {
            basicDigest = SHA256.hash(Array("\(username):\(password)".utf8))
        } else {
            basicDigest = nil
        }
        tokenDigests = tokens.map { SHA256.hash(Array($0.utf8)) }
    }

    /// The `WWW-Authenticate` challenge of a 401.
    public var challenge: String {
        mode == .basic ? "Basic realm=\"restricted\"" : "Bearer realm=\"restricted\""
    }

    /// Whether the `Authorization` header carries valid credentials (always true in mode none).
    public func isAuthorized(_ authorization: String?) -> Bool {
        guard mode != .none else { return true }
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let scheme = parts[0].lowercased()
        let credential = parts[1].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "bearer":
            let digest = SHA256.hash(Array(credential.utf8))
            // Check every configured token so the time does not depend on which one matched.
            var matched = false
            for expected in tokenDigests where Self.constantTimeEqual(digest, expected) { matched = true }
            return matched
        case "basic" where mode == .basic:
            guard let basicDigest, let decoded = Base64.decode(credential) else { return false }
            return Self.constantTimeEqual(SHA256.hash(decoded), basicDigest)
        default:
            return false
        }
    }

    /// Compares two equal-length digests without an early exit.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// Minimal standard Base64 decoding (for Basic credentials).
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for char in text.utf8 {
            switch char {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(char - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(char - 71)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(char + 4)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): continue
            default: return nil
            }
        }
        var out: [UInt8] = []
        var index = 0
        while index + 1 < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let a = chunk[chunk.startIndex], b = chunk[chunk.startIndex + 1]
            out.append(a << 2 | b >> 4)
            if chunk.count > 2 { out.append((b & 0x0F) << 4 | chunk[chunk.startIndex + 2] >> 2) }
            if chunk.count > 3 { out.append((chunk[chunk.startIndex + 2] & 0x03) << 6 | chunk[chunk.startIndex + 3]) }
            index += 4
        }
        return out
    }
}
