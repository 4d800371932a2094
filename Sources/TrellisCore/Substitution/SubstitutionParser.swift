/// Splits a string into literal text and substitution forms. Pure; recognises syntax only —
/// whether a form is substituted is decided when rendering, against a scope and a mode.
///
/// Syntax rules:
/// - `$NAME` with NAME `[A-Za-z_][A-Za-z0-9_]*`; `$1`…`$9` (one digit: `$10` is `$1` then `0`);
///   braced `${NAME}`, `${10}`, `${NAME.path}`, `${NAME:offset:length}`, `${NAME:-word}`,
///   `${#NAME}`. A JSON path is braced only: `$CFG.db` is `$CFG` followed by `.db`.
/// - `$$`, a `$` before anything else, a `${` without its `}` and a `${…}` of any other shape
///   (`${A:+x}`, `${A%x}`, `${!A}`) stay as written; scanning continues inside the latter two.
/// - Braces nest (`${A:-${B}}`); a `}` inside `"…"` or after `\` does not close.
/// - A backslash escapes the `$` (and in full mode the backtick) right after it; `\\` is kept
///   and escapes nothing. In full mode the escaping backslash is removed; otherwise it is kept.
/// - A plain-name form wrapped directly in single quotes (`'$X'`, `'${X:-d}'`) and a backtick
///   command wrapped directly in them (`` '`cmd`' ``) stay as written. Only the form itself
///   counts: `'a $X'` is substituted, so apostrophes in prose do not switch substitution off.
///   Dotted references (`'${R.outputs.x}'`) have no shell meaning and are always substituted.
/// - Backticks delimit a command only in full mode; an unmatched or empty pair stays as written.
struct SubstitutionParser {
    private let scalars: [Unicode.Scalar]
    private let isFull: Bool

    /// The tokens of `text` under the syntax of full mode (`isFull`) or command/script mode.
    static func parse(_ text: String, full isFull: Bool) -> [SubstitutionToken] {
        SubstitutionParser(scalars: Array(text.unicodeScalars), isFull: isFull).tokens()
    }

    static func parse(_ scalars: ArraySlice<Unicode.Scalar>, full isFull: Bool) -> [SubstitutionToken] {
        SubstitutionParser(scalars: Array(scalars), isFull: isFull).tokens()
    }

    private func tokens() -> [SubstitutionToken] {
        var buffer = SubstitutionTokenBuffer()
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "\\":
                index = escape(at: index, into: &buffer)
            case "`" where isFull:
                index = backtick(at: index, into: &buffer)
            case "$":
                index = dollar(at: index, into: &buffer)
            default:
                buffer.append(scalars[index])
                index += 1
            }
        }
        return buffer.finish()
    }

    private func escape(at index: Int, into buffer: inout SubstitutionTokenBuffer) -> Int {
        guard index + 1 < scalars.count else {
            buffer.append("\\")
            return index + 1
        }
        switch scalars[index + 1] {
        case "$":
            buffer.append(isFull ? "$" : "\\$")
        case "`":
            buffer.append(isFull ? "`" : "\\`")
        case "\\":
            buffer.append("\\\\")
        default:
            buffer.append("\\")
            return index + 1
        }
        return index + 2
    }

    private func backtick(at index: Int, into buffer: inout SubstitutionTokenBuffer) -> Int {
        var close = index + 1
        while close < scalars.count, scalars[close] != "`" {
            close += scalars[close] == "\\" ? 2 : 1
        }
        guard close < scalars.count else {
            buffer.append("`")
            return index + 1
        }
        let original = text(index...close)
        let body = scalars[(index + 1)..<close]
        if isSingleQuoted(from: index, to: close + 1) || body.allSatisfy(\.properties.isWhitespace) {
            buffer.append(original)
        } else {
            buffer.append(token: .command(body: Self.parse(body, full: false), original: original))
        }
        return close + 1
    }

    private func dollar(at index: Int, into buffer: inout SubstitutionTokenBuffer) -> Int {
        guard index + 1 < scalars.count else {
            buffer.append("$")
            return index + 1
        }
        let next = scalars[index + 1]
        let token: SubstitutionToken
        let end: Int
        if next == "$" {
            buffer.append("$$")
            return index + 2
        } else if next == "{" {
            guard let close = matchingBrace(from: index + 2),
                  let braced = bracedToken(scalars[(index + 2)..<close], original: text(index...close)) else {
                buffer.append("$")
                return index + 1
            }
            token = braced
            end = close + 1
        } else if Self.isNameStart(next) {
            end = scalars[(index + 2)...].firstIndex { !Self.isNameCharacter($0) } ?? scalars.count
            let name = text((index + 1)..<end)
            token = .reference(VariableReference(name: name, original: "$" + name))
        } else if Self.isNonZeroDigit(next) {
            end = index + 2
            token = .reference(VariableReference(name: String(next), original: "$" + String(next)))
        } else {
            buffer.append("$")
            return index + 1
        }
        if isPlainForm(token), isSingleQuoted(from: index, to: end) {
            buffer.append(text(index..<end))
        } else {
            buffer.append(token: token)
        }
        return end
    }

    /// The index of the `}` closing a `${` whose content starts at `start`.
    private func matchingBrace(from start: Int) -> Int? {
        var depth = 1
        var inString = false
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "\\":
                index += 1
            case "\"":
                inString.toggle()
            case "{" where !inString:
                depth += 1
            case "}" where !inString:
                depth -= 1
                if depth == 0 { return index }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    private func isPlainForm(_ token: SubstitutionToken) -> Bool {
        switch token {
        case .reference(let reference): reference.isPlain
        case .length, .defaultValue: true
        case .literal, .command: false
        }
    }

    /// Whether `scalars[start..<end]` is directly preceded and followed by `'`.
    private func isSingleQuoted(from start: Int, to end: Int) -> Bool {
        start > 0 && scalars[start - 1] == "'" && end < scalars.count && scalars[end] == "'"
    }

    private func text(_ range: some RangeExpression<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range]))
    }

    private func bracedToken(_ content: ArraySlice<Unicode.Scalar>, original: String) -> SubstitutionToken? {
        SubstitutionParser.bracedToken(content, original: original, full: isFull)
    }
}
