/// Splits a params string (`A=1 B="two words" pos C=`date +%F``) into tokens (DAG-FORMAT §4.1).
///
/// Rules:
/// - Tokens are separated by unquoted whitespace.
/// - A token that starts with a name (`[A-Za-z_][A-Za-z0-9_]*`) directly followed by `=` is
///   named; the value is everything after the first `=` (`a=b=c` → `a`, `b=c`). Any other
///   token is positional (`1x=2`, `=x` and `"A=1"` are positional values).
/// - A value is made of segments written next to each other: bare characters (kept literally,
///   backslashes included), a double-quoted string (quotes removed; escapes `\"` `\\` `\n`
///   `\t` `\r`; any other `\x` is kept as written) and a backtick block kept literally
///   **with** its backticks, spaces inside included (it is evaluated later).
///   So `A=pre"x y"` is `prex y` and `B=`x y`` is `` `x y` ``.
/// - An unterminated double quote or backtick is an error naming its 1-based column.
///
/// The caller decides whether text starting with `{` or `[` is JSON; this parser does not.
public enum ParamStringParser {
    /// The tokens of `text`, in order; `[]` for empty or blank text.
    public static func parse(_ text: String) throws(ParamError) -> [ParamToken] {
        let characters = Array(text)
        var tokens: [ParamToken] = []
        var index = 0
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count else { break }
            let name = scanName(characters, at: &index)
            let value = try scanValue(characters, at: &index)
            tokens.append(ParamToken(name: name, value: value))
        }
        return tokens
    }

    /// Consumes `NAME=` at `index` and returns `NAME`; leaves `index` unchanged otherwise.
    private static func scanName(_ characters: [Character], at index: inout Int) -> String? {
        guard index < characters.count, isNameStart(characters[index]) else { return nil }
        var end = index + 1
        while end < characters.count, isNameContinuation(characters[end]) { end += 1 }
        guard end < characters.count, characters[end] == "=" else { return nil }
        let name = String(characters[index..<end])
        index = end + 1
        return name
    }

    /// Consumes segments up to the next unquoted whitespace.
    private static func scanValue(_ characters: [Character], at index: inout Int) throws(ParamError) -> String {
        var value = ""
        while index < characters.count, !characters[index].isWhitespace {
            switch characters[index] {
            case "\"":
                value += try scanQuoted(characters, at: &index)
            case "`":
                value += try scanBacktick(characters, at: &index)
            default:
                value.append(characters[index])
                index += 1
            }
        }
        return value
    }

    private static func scanQuoted(_ characters: [Character], at index: inout Int) throws(ParamError) -> String {
        let start = index
        index += 1
        var text = ""
        while index < characters.count {
            let character = characters[index]
            if character == "\"" {
                index += 1
                return text
            }
            if character == "\\", index + 1 < characters.count {
                let next = characters[index + 1]
                switch next {
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                default:
                    text.append("\\")
                    text.append(next)
                }
                index += 2
                continue
            }
            text.append(character)
            index += 1
        }
        throw ParamError(param: nil, message: "params: unterminated double quote starting at column \(start + 1)")
    }

    private static func scanBacktick(_ characters: [Character], at index: inout Int) throws(ParamError) -> String {
        let start = index
        guard let close = characters[(start + 1)...].firstIndex(of: "`") else {
            throw ParamError(param: nil, message: "params: unterminated backtick starting at column \(start + 1)")
        }
        index = close + 1
        return String(characters[start...close])
    }

    private static func isNameStart(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A) || ascii == 0x5F
    }

    private static func isNameContinuation(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return isNameStart(character) || (ascii >= 0x30 && ascii <= 0x39)
    }

    /// Whether `text` is a valid param name (`[A-Za-z_][A-Za-z0-9_]*`).
    static func isValidName(_ text: String) -> Bool {
        guard let first = text.first, isNameStart(first) else { return false }
        return text.dropFirst().allSatisfy(isNameContinuation)
    }
}
