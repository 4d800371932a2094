extension ParamDefinition {
    /// Problems with the definition itself, each starting `param "<name>": ` (no prefix for a
    /// positional definition); `[]` when it is sound.
    ///
    /// Checked: numeric constraints only on `integer`/`number`, text constraints only on text
    /// params; `multipleOf` > 0; non-negative lengths; `minimum` ≤ `maximum`, `min_length` ≤
    /// `max_length`, exclusive bounds leave room; the pattern compiles; enum values are
    /// scalars of the right type; the default is a scalar of the right type that meets its
    /// own constraints and enum; not both `default` and `eval`. The name is not checked here:
    /// the loader checks names (`[A-Za-z_][A-Za-z0-9_]*`) with the line they are on.
    public func validateDefinition() -> [String] {
        var problems = constraintCompatibilityProblems()
        problems += boundProblems()
        if let pattern, ParamValidator.compile(pattern) == nil {
            problems.append("pattern \(JSONNumberFormat.quoted(pattern)) is not a valid regular expression")
        }
        problems += enumProblems()
        problems += defaultProblems()
        guard let name else { return problems }
        return problems.map { "param \"\(name)\": \($0)" }
    }

    /// Problems with a whole list of definitions: each definition's own problems (a positional
    /// one's prefixed `param "<n>": `, numbered from 1 among all), then duplicate names.
    public static func validateDefinitions(_ definitions: [ParamDefinition]) -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        var duplicates: [String] = []
        for (index, definition) in definitions.enumerated() {
            let own = definition.validateDefinition()
            problems += definition.name == nil ? own.map { "param \"\(index + 1)\": \($0)" } : own
            if let name = definition.name, !seen.insert(name).inserted, !duplicates.contains(name) {
                duplicates.append(name)
            }
        }
        problems += duplicates.map { "duplicate param name \"\($0)\"" }
        return problems
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
