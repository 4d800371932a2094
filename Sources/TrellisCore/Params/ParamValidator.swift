import Foundation

/// Coerces one value to its definition's type and checks the definition's constraints
/// (enum, numeric bounds, `multipleOf`, lengths, pattern), reporting every violation.
public enum ParamValidator {
    /// The coerced `value` for `definition`, or every problem, each naming `param`
    /// (`param "batch_size": value 0 is less than minimum 1`).
    ///
    /// `required` is not checked here (it concerns absence, which the resolver sees); the
    /// engine calls this for the output of an `eval` default.
    public static func validate(
        _ value: JSONValue, for definition: ParamDefinition, param: String
    ) -> Result<JSONValue, ParamErrors> {
        switch problems(value, for: definition) {
        case .success(let coerced):
            return .success(coerced)
        case .failure(let failure):
            return .failure(ParamErrors(failure.problems.map { ParamError.value(param, $0) }))
        }
    }

    /// Message fragments (no param prefix) for every problem with `value`, or the coerced value.
    static func problems(_ value: JSONValue, for definition: ParamDefinition) -> Result<JSONValue, Problems> {
        let coerced: JSONValue
        switch ParamCoercion.coerce(value, to: definition.type) {
        case .success(let result): coerced = result
        case .failure(let problem): return .failure(Problems(problems: [problem.text]))
        }
        let found = constraintProblems(coerced, for: definition)
        return found.isEmpty ? .success(coerced) : .failure(Problems(problems: found))
    }

    /// A list of message fragments.
    struct Problems: Error {
        let problems: [String]
    }

    /// Constraint violations of an already coerced value, in the order enum, numeric, text.
    static func constraintProblems(_ value: JSONValue, for definition: ParamDefinition) -> [String] {
        var found: [String] = []
        if let allowed = definition.enumValues {
            let candidates = allowed.compactMap { try? ParamCoercion.coerce($0, to: definition.type).get() }
            if !candidates.contains(where: { sameValue($0, value) }) {
                let listed = allowed.map(\.plainText).joined(separator: ", ")
                found.append("value \(value.serialized()) is not one of [\(listed)]")
            }
        }
        if definition.type?.isNumeric == true, let number = value.doubleValue {
            found += numericProblems(value, number, definition)
        }
        if definition.type == nil || definition.type == .string, case .string(let text) = value {
            found += textProblems(text, definition)
        }
        return found
    }

    private static func numericProblems(_ value: JSONValue, _ number: Double, _ definition: ParamDefinition) -> [String] {
        var found: [String] = []
        let shown = value.serialized()
        if let minimum = definition.minimum, number < minimum {
            found.append("value \(shown) is less than minimum \(JSONNumberFormat.format(minimum))")
        }
        if let maximum = definition.maximum, number > maximum {
            found.append("value \(shown) is greater than maximum \(JSONNumberFormat.format(maximum))")
        }
        if let bound = definition.exclusiveMinimum, number <= bound {
            found.append("value \(shown) is not greater than exclusive minimum \(JSONNumberFormat.format(bound))")
        }
        if let bound = definition.exclusiveMaximum, number >= bound {
            found.append("value \(shown) is not less than exclusive maximum \(JSONNumberFormat.format(bound))")
        }
        if let divisor = definition.multipleOf, divisor > 0, !isMultiple(value, of: divisor) {
            found.append("value \(shown) is not a multiple of \(JSONNumberFormat.format(divisor))")
        }
        return found
    }

    private static func textProblems(_ text: String, _ definition: ParamDefinition) -> [String] {
        var found: [String] = []
        let shown = JSONNumberFormat.quoted(text)
        let length = text.unicodeScalars.count
        if let minLength = definition.minLength, length < minLength {
            found.append("value \(shown) is shorter than minimum length \(minLength)")
        }
        if let maxLength = definition.maxLength, length > maxLength {
            found.append("value \(shown) is longer than maximum length \(maxLength)")
        }
        if let pattern = definition.pattern {
            switch matches(text, pattern: pattern) {
            case true?:
                break
            case false?:
                found.append("value \(shown) does not match pattern \(JSONNumberFormat.quoted(pattern))")
            case nil:
                found.append("pattern \(JSONNumberFormat.quoted(pattern)) is not a valid regular expression")
            }
        }
        return found
    }

    /// Whether `text` contains a match of `pattern` (unanchored, as JSON Schema's `pattern`);
    /// `nil` when the pattern does not compile.
    static func matches(_ text: String, pattern: String) -> Bool? {
        guard let expression = compile(pattern) else { return nil }
        let range = NSRange(location: 0, length: (text as NSString).length)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }

    /// The compiled `pattern`, or `nil` when it is not a valid regular expression.
    static func compile(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern, options: [])
    }

    /// Equality with integers and numbers compared by numeric value.
    static func sameValue(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let leftNumber = left.doubleValue, let rightNumber = right.doubleValue {
            return leftNumber == rightNumber
        }
        return left == right
    }

    private static func isMultiple(_ value: JSONValue, of divisor: Double) -> Bool {
        if case .integer(let integer) = value, let whole = Int(exactly: divisor), whole != 0 {
            return integer % whole == 0
        }
        guard let number = value.doubleValue else { return true }
        let quotient = number / divisor
        guard quotient.isFinite else { return false }
        return abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient))
    }
}
