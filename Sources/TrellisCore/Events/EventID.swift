import Foundation

/// Event IDs (API §8.2).
public enum EventID {
    /// `dag_` + hex SHA-256 of `type|dagName|dagRunId|attemptId`: a replayed write gets the same ID.
    public static func stable(type: EventType, dagName: String, dagRunId: String, attemptId: String) -> String {
        "dag_" + hex(SHA256.hash(Array("\(type.rawValue)|\(dagName)|\(dagRunId)|\(attemptId)".utf8)))
    }

    /// `dag_update_<hex>` of a random token.
    public static func update(token: String) -> String {
        "dag_update_" + token
    }

    /// 16 random bytes as hex, for ``update(token:)``.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
