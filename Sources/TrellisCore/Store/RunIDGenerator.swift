import Foundation

/// Generates run IDs: UUID version 7 (time-ordered), lower-case with dashes (§1.2).
public enum RunIDGenerator {
    public static func uuidV7(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return uuidV7(now: now, using: &generator)
    }

    public static func uuidV7<R: RandomNumberGenerator>(now: Date, using generator: inout R) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8((millis >> UInt64(40 - index * 8)) & 0xff) }
        for index in 6..<16 { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0f) | 0x70
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
        let chars = Array(hex)
        return [chars[0..<8], chars[8..<12], chars[12..<16], chars[16..<20], chars[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
