/// Writes `NAME=value` tokens that `ParamStringParser` reads back to the same name and value.
enum ParamQuoting {
    /// `name=value` or `value`, double-quoted only when needed: the value is empty
    /// (positional only), holds whitespace, `"` or a backtick, or — positional — would read
    /// as `NAME=…` or start with `{`/`[`.
    static func token(name: String?, value: String) -> String {
        let quoted = needsQuotes(value, positional: name == nil) ? quote(value) : value
        return name.map { "\($0)=\(quoted)" } ?? quoted
    }

    /// `value` in double quotes with `\`, `"`, newline, tab and CR escaped.
    static func quote(_ value: String) -> String {
        var output = "\""
        for character in value {
            switch character {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default: output.append(character)
            }
        }
        return output + "\""
    }

    private static func needsQuotes(_ value: String, positional: Bool) -> Bool {
        if value.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "`" }) {
            return true
        }
        guard positional else { return false }
        if value.isEmpty || value.hasPrefix("{") || value.hasPrefix("[") {
            return true
        }
        if let equals = value.firstIndex(of: "="), ParamStringParser.isValidName(String(value[..<equals])) {
            return true
        }
        return false
    }
}
