extension JSONValue {
    /// Compact JSON text for this value.
    ///
    /// No whitespace; `/` and non-ASCII characters are written as they are; `"`, `\` and
    /// control characters are escaped (`\n`, `\t`, … or `\u00XX`). Integers have no `.0`;
    /// other numbers use the shortest form that reads back to the same `Double` (`2.5`,
    /// `1e+21`), integral ones below 10^15 without a fraction (`3`); a non-finite number is
    /// written as `null`. Object keys keep their order unless `sortedKeys` is set.
    public func serialized(sortedKeys: Bool = false) -> String {
        var output = ""
        write(to: &output, sortedKeys: sortedKeys)
        return output
    }

    private func write(to output: inout String, sortedKeys: Bool) {
        switch self {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .integer(let value):
            output += String(value)
        case .number(let value):
            output += value.isFinite ? JSONNumberFormat.format(value) : "null"
        case .string(let text):
            JSONNumberFormat.writeQuoted(text, to: &output)
        case .array(let items):
            output += "["
            for (position, item) in items.enumerated() {
                if position > 0 { output += "," }
                item.write(to: &output, sortedKeys: sortedKeys)
            }
            output += "]"
        case .object(let object):
            output += "{"
            let entries = sortedKeys ? object.entries.sorted { $0.key < $1.key } : object.entries
            for (position, entry) in entries.enumerated() {
                if position > 0 { output += "," }
                JSONNumberFormat.writeQuoted(entry.key, to: &output)
                output += ":"
                entry.value.write(to: &output, sortedKeys: sortedKeys)
            }
            output += "}"
        }
    }
}

/// Text forms shared by the serializer and the params renderings.
enum JSONNumberFormat {
    /// The shortest round-tripping JSON text of a finite `Double`: `3` for 3.0, `2.5`, `1e+21`;
    /// `-0` is written `0`. Non-finite values give `null`.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        if value.rounded() == value, abs(value) < 1e15, let exact = Int(exactly: value) {
            return String(exact)
        }
        return value.description
    }

    /// `text` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        var output = ""
        writeQuoted(text, to: &output)
        return output
    }

    /// Appends `text` as a JSON string literal.
    static func writeQuoted(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16, uppercase: false)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
