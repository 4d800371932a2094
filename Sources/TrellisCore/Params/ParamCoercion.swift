/// Converts a param value to the JSON kind its type asks for (DAG-FORMAT §4.2: `"50"` → 50 for
/// an integer, `"true"` → true for a boolean).
///
/// A failure is a message fragment without the param prefix, e.g. `"abc" is not an integer`.
enum ParamCoercion {
    /// `value` coerced to `type`:
    /// - `nil` (untyped): always text — strings as they are, other scalars in plain form,
    ///   `null` as `""`, arrays and objects as compact JSON.
    /// - `.string`: strings; numbers and booleans rendered as text; `null`, arrays and
    ///   objects fail.
    /// - `.integer`: JSON integers, integral JSON numbers, and strings of an optional sign
    ///   and digits (surrounding whitespace ignored). `"5.5"`, `"1e3"`, `5.5` fail.
    /// - `.number`: JSON numbers, and strings in decimal notation with an optional exponent
    ///   (`"2.5"`, `"-3"`, `"1e3"`, `".5"`); strings without `.` or exponent become
    ///   `.integer`. `inf`, `nan`, hex fail.
    /// - `.boolean`: JSON booleans and `true`/`false` in any case.
    static func coerce(_ value: JSONValue, to type: ParamType?) -> Result<JSONValue, Problem> {
        guard let type else {
            return .success(.string(value.plainText))
        }
        switch (type, value) {
        case (.string, .string):
            return .success(value)
        case (.string, .integer), (.string, .number), (.string, .bool):
            return .success(.string(value.plainText))
        case (.integer, .integer):
            return .success(value)
        case (.integer, .number):
            if let exact = value.intValue { return .success(.integer(exact)) }
        case (.integer, .string(let text)):
            if let parsed = parseInteger(text) { return .success(.integer(parsed)) }
        case (.number, .integer), (.number, .number):
            return .success(value)
        case (.number, .string(let text)):
            if let parsed = parseNumber(text) { return .success(parsed) }
        case (.boolean, .bool):
            return .success(value)
        case (.boolean, .string(let text)):
            switch trimmed(text).lowercased() {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: break
            }
        default:
            break
        }
        return .failure(Problem("\(value.serialized()) is not \(type.phrase)"))
    }

    /// A failed coercion or constraint, as a message fragment.
    struct Problem: Error, Equatable {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// Sign and decimal digits only; `nil` when malformed or out of `Int` range.
    static func parseInteger(_ text: String) -> Int? {
        let body = trimmed(text)
        var digits = Substring(body)
        if let first = digits.first, first == "+" || first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isWholeNumber }) else { return nil }
        return Int(body)
    }

    /// Decimal notation with optional sign, fraction and exponent; finite results only.
    static func parseNumber(_ text: String) -> JSONValue? {
        let body = trimmed(text)
        var scalars = Array(body.unicodeScalars)
        if let first = scalars.first, first == "+" || first == "-" { scalars.removeFirst() }
        var index = 0
        var mantissaDigits = 0
        var isIntegral = true
        func isDigit(_ position: Int) -> Bool {
            position < scalars.count && ("0"..."9").contains(scalars[position])
        }
        while isDigit(index) { index += 1; mantissaDigits += 1 }
        if index < scalars.count, scalars[index] == "." {
            isIntegral = false
            index += 1
            while isDigit(index) { index += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            isIntegral = false
            index += 1
            if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" { index += 1 }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        guard index == scalars.count else { return nil }
        if isIntegral, let exact = Int(body) { return .integer(exact) }
        guard let number = Double(body), number.isFinite else { return nil }
        return .number(number)
    }

    /// `text` without leading and trailing whitespace.
    static func trimmed(_ text: String) -> String {
        let characters = Substring(text)
        let start = characters.firstIndex { !$0.isWhitespace } ?? characters.endIndex
        let end = characters.lastIndex { !$0.isWhitespace }.map { characters.index(after: $0) } ?? start
        return String(characters[start..<end])
    }
}
