extension ParamDefinition {
    /// Problems with the definition itself, without the param name (the caller adds where it
    /// was declared); `[]` when it is sound.
    ///
    /// Checked: the name (not empty, no whitespace or `=`, not all digits since `1`, `2`, …
    /// address positional params); numeric constraints only on `integer`/`number`, text
    /// constraints only on text params; `multipleOf` > 0; non-negative lengths; `minimum` ≤
    /// `maximum`, `min_length` ≤ `max_length`, exclusive bounds leave room; the pattern
    /// compiles; enum values are scalars of the right type; the default is a scalar of the
    /// right type that meets its own constraints and enum; not both `default` and `eval`.
    public func validateDefinition() -> [String] {
        var problems = nameProblems()
        problems += constraintCompatibilityProblems()
        problems += boundProblems()
        if let pattern, ParamValidator.compile(pattern) == nil {
            problems.append("pattern \(JSONNumberFormat.quoted(pattern)) is not a valid regular expression")
        }
        problems += enumProblems()
        problems += defaultProblems()
        return problems
    }

    /// Problems with a whole list of definitions: each definition's own problems prefixed by
    /// `param "<name>": ` (`param "<n>": ` for positional ones, numbered from 1 among all),
    /// then duplicate names.
    public static func validateDefinitions(_ definitions: [ParamDefinition]) -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        var duplicates: [String] = []
        for (index, definition) in definitions.enumerated() {
            let key = definition.name ?? String(index + 1)
            problems += definition.validateDefinition().map { "param \"\(key)\": \($0)" }
            if let name = definition.name, !seen.insert(name).inserted, !duplicates.contains(name) {
                duplicates.append(name)
            }
        }
        problems += duplicates.map { "duplicate param name \"\($0)\"" }
        return problems
    }

    private func nameProblems() -> [String] {
        guard let name else { return [] }
        if name.isEmpty {
            return ["name is empty"]
        }
        if name.contains(where: { $0.isWhitespace || $0 == "=" }) {
            return ["name \(JSONNumberFormat.quoted(name)) must not contain whitespace or \"=\""]
        }
        if name.allSatisfy({ $0.isASCII && $0.isWholeNumber }) {
            return ["name \(JSONNumberFormat.quoted(name)) must not be a number (numbers address positional params)"]
        }
        return []
    }

    private var typeLabel: String { type?.rawValue ?? "string" }

    private func constraintCompatibilityProblems() -> [String] {
        var problems: [String] = []
        if hasNumericConstraints, type?.isNumeric != true {
            problems.append("minimum/maximum/exclusiveMinimum/exclusiveMaximum/multipleOf apply only to integer or number params, not \(typeLabel)")
        }
        if hasTextConstraints, type != nil, type != .string {
            problems.append("min_length/max_length/pattern apply only to string params, not \(typeLabel)")
        }
        return problems
    }

    private func boundProblems() -> [String] {
        var problems: [String] = []
        let format = JSONNumberFormat.format
        if let multipleOf, !(multipleOf > 0) {
            problems.append("multipleOf must be greater than 0, not \(format(multipleOf))")
        }
        for (label, value) in [("min_length", minLength), ("max_length", maxLength)] {
            if let value, value < 0 { problems.append("\(label) must not be negative, not \(value)") }
        }
        if let minimum, let maximum, minimum > maximum {
            problems.append("minimum \(format(minimum)) is greater than maximum \(format(maximum))")
        }
        if let low = exclusiveMinimum ?? minimum, let high = exclusiveMaximum ?? maximum,
           exclusiveMinimum != nil || exclusiveMaximum != nil, low >= high {
            problems.append("no value fits between the lower bound \(format(low)) and the upper bound \(format(high))")
        }
        if let minLength, let maxLength, minLength > maxLength {
            problems.append("min_length \(minLength) is greater than max_length \(maxLength)")
        }
        return problems
    }

    private func enumProblems() -> [String] {
        guard let enumValues else { return [] }
        if enumValues.isEmpty {
            return ["enum must list at least one value"]
        }
        var problems: [String] = []
        for value in enumValues {
            if !value.isScalar || value == .null {
                problems.append("enum value \(value.serialized()) is not a scalar")
                continue
            }
            if type != nil, case .failure(let problem) = ParamCoercion.coerce(value, to: type) {
                problems.append("enum value \(problem.text)")
            }
        }
        return problems
    }

    private func defaultProblems() -> [String] {
        guard let defaultValue else { return [] }
        var problems: [String] = []
        if eval != nil {
            problems.append("defines both default and eval; keep one")
        }
        if !defaultValue.isScalar || defaultValue == .null {
            problems.append("default \(defaultValue.serialized()) is not a scalar")
            return problems
        }
        var checked = self
        if let pattern, ParamValidator.compile(pattern) == nil {
            checked.pattern = nil  // already reported once
        }
        if case .failure(let failure) = ParamValidator.problems(defaultValue, for: checked) {
            problems += failure.problems.map { "default: \($0)" }
        }
        return problems
    }
}
