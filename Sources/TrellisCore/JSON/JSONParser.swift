extension JSONValue {
    /// The deepest nesting of arrays and objects `parse(_:)` accepts.
    public static let maximumParseDepth = 512

    /// Parses `text` as one JSON value under RFC 8259, keeping object key order.
    ///
    /// Strict: no comments, trailing commas, leading zeros, single quotes, unescaped control
    /// characters, unpaired surrogate escapes or non-finite numbers; whitespace is space, tab,
    /// LF and CR only. Duplicate object keys are rejected (RFC 7493). Nesting deeper than
    /// `maximumParseDepth` is rejected. Errors carry the UTF-8 byte offset of the problem.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        return try parser.parseDocument()
    }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count {
            throw failure("unexpected \(describeByte(at: index)) after the JSON value")
        }
        return value
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw failure("unexpected \(describeByte(at: index))")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        index += 1  // {
        var object = JSONObject()
        var seen = Set<String>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a string key but found \(describeByte(at: index))")
            }
            let keyOffset = index
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONParseError(message: "duplicate key \"\(key)\"", offset: keyOffset)
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw failure(index < bytes.count
                    ? "expected \":\" but found \(describeByte(at: index))" : "unterminated object")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            object.appendUnchecked(key: key, value: value)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(object)
            case nil:
                throw failure("unterminated object")
            default:
                throw failure("expected \",\" or \"}\" but found \(describeByte(at: index))")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated array") }
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            case nil:
                throw failure("unterminated array")
            default:
                throw failure("expected \",\" or \"]\" but found \(describeByte(at: index))")
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONParseError) {
        if depth > JSONValue.maximumParseDepth {
            throw failure("nesting deeper than \(JSONValue.maximumParseDepth) levels")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let expected = literal.withUTF8Buffer { Array($0) }
        guard index + expected.count <= bytes.count,
              bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw JSONParseError(message: "invalid literal (expected \"\(literal)\")", offset: start)
        }
        index += expected.count
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isIntegral = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else {
            throw failure("expected a digit in number")
        }
        index += 1
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            throw failure("leading zeros are not allowed in numbers")
        }
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            isIntegral = false
            index += 1
            guard let digit = peek(), isDigit(digit) else {
                throw failure("expected a digit after the decimal point")
            }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isIntegral = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else {
                throw failure("expected a digit in the exponent")
            }
            skipDigits()
        }
        let literal = String(decoding: bytes[start..<index], as: UTF8.self)
        if isIntegral, let value = Int(literal) {
            return .integer(value)
        }
        guard let value = Double(literal), value.isFinite else {
            throw JSONParseError(message: "number \(literal) is out of range", offset: start)
        }
        return .number(value)
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: Helpers

    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
              byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            index += 1
        }
    }

    func failure(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: index)
    }

    func hexByte(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }

    /// `character "x"` for printable ASCII, the decoded character for UTF-8 sequences,
    /// `byte 0xNN` otherwise, `end of input` past the end.
    func describeByte(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        if byte >= 0x20 && byte < 0x7F {
            return "character \"\(Character(Unicode.Scalar(byte)))\""
        }
        if byte >= 0xC0 {
            let end = min(offset + 4, bytes.count)
            let decoded = String(decoding: bytes[offset..<end], as: UTF8.self)
            if let scalar = decoded.unicodeScalars.first, scalar != "\u{FFFD}" {
                return "character \"\(Character(scalar))\""
            }
        }
        return "byte \(hexByte(byte))"
    }
}
