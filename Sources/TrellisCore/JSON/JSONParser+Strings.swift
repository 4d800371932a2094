extension JSONParser {
    /// Parses a string literal starting at the opening quote: escapes resolved, surrogate
    /// pairs combined, unescaped control characters and unpaired surrogates rejected.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1  // opening quote
        var buffer: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw JSONParseError(message: "unterminated string", offset: start)
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                throw failure("unescaped control character \(hexByte(byte)) in string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1  // backslash
        guard let letter = peek() else { throw failure("unterminated string") }
        index += 1
        switch letter {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape(escapeStart: escapeStart)
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw JSONParseError(message: "invalid escape \(describeByte(at: index - 1))", offset: escapeStart)
        }
    }

    /// Parses the hex digits after `\u` (and a following low-surrogate escape when needed).
    private mutating func parseUnicodeEscape(escapeStart: Int) throws(JSONParseError) -> Unicode.Scalar {
        let unit = try parseHex4(escapeStart: escapeStart)
        switch unit {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                  bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(message: "unpaired high surrogate escape", offset: escapeStart)
            }
            let lowStart = index
            index += 2
            let low = try parseHex4(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONParseError(message: "high surrogate escape not followed by a low surrogate", offset: lowStart)
            }
            let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else {
                throw JSONParseError(message: "invalid surrogate pair", offset: escapeStart)
            }
            return scalar
        case 0xDC00...0xDFFF:
            throw JSONParseError(message: "unpaired low surrogate escape", offset: escapeStart)
        default:
            guard let scalar = Unicode.Scalar(unit) else {
                throw JSONParseError(message: "invalid unicode escape", offset: escapeStart)
            }
            return scalar
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else {
                throw JSONParseError(message: "unterminated unicode escape", offset: escapeStart)
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw failure("invalid hex digit \(describeByte(at: index)) in unicode escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
