/// Applies overrides to a DAG's param definitions, then coerces and validates every value
/// (DAG-FORMAT §4.4), collecting all problems.
///
/// Override rules, applied in the order the overrides are given (a later one wins):
/// - A **named** override replaces the value of the definition with that name.
/// - A name made only of digits, `N`, addresses the N-th item (from 1, counting all
///   definitions) — the same param `$N` and a positional override would reach.
/// - An unknown name is an error `unknown param "X" (known params: A, B)` when the
///   definitions declare any named param; otherwise it is appended as an extra untyped param.
/// - The k-th **positional** override (k counts positional overrides only, from 1) replaces
///   the value of the k-th definition, counting **all** definitions named or not, as current
///   Dagu does. The definition keeps its name, type and constraints: with `params: A=1 B=2`,
///   `-- x y` sets `A=x B=y`. Positional overrides beyond the number of definitions are
///   appended as extra positional params.
///
/// Then, per item in order: the value is the override, else the `eval` text (left for the
/// engine, `needsEval`, not validated), else the literal default, else none (`null`). A
/// `required` param with no value or an empty text value is an error `param "X" is
/// required`; otherwise the value is coerced to the type and checked against enum, numeric
/// bounds, `multipleOf`, lengths and pattern (see `ParamValidator`). Untyped params are text.
public enum ParamResolver {
    /// The resolved params, or every problem found.
    public static func resolve(
        _ definitions: [ParamDefinition], overrides: ParamOverrides
    ) -> Result<ResolvedParams, ParamErrors> {
        let normalized: (entries: [ParamOverrideEntry], rawJSON: String?)
        do {
            normalized = try overrides.normalized()
        } catch {
            return .failure(ParamErrors([error]))
        }

        var slots = definitions.map { Slot(definition: $0, override: nil) }
        var errors = apply(normalized.entries, to: &slots, definitionCount: definitions.count)

        var items: [ResolvedParam] = []
        items.reserveCapacity(slots.count)
        for (index, slot) in slots.enumerated() {
            let key = slot.definition.name ?? String(index + 1)
            let (item, problems) = resolve(slot, key: key)
            items.append(item)
            errors += problems
        }
        guard errors.isEmpty else { return .failure(ParamErrors(errors)) }
        return .success(ResolvedParams(items: items, rawJSON: normalized.rawJSON))
    }

    /// A definition (an untyped stand-in for extra overrides) and its override, if any.
    private struct Slot {
        var definition: ParamDefinition
        var override: JSONValue?
    }

    /// Places each override on its slot, appending extras; returns unknown-name errors.
    private static func apply(
        _ entries: [ParamOverrideEntry], to slots: inout [Slot], definitionCount: Int
    ) -> [ParamError] {
        let knownNames = slots.compactMap(\.definition.name)
        let declaresNamed = !knownNames.isEmpty
        var errors: [ParamError] = []
        var positionalCount = 0
        for entry in entries {
            guard let name = entry.name else {
                if positionalCount < definitionCount {
                    slots[positionalCount].override = entry.value
                } else {
                    slots.append(Slot(definition: ParamDefinition(name: nil), override: entry.value))
                }
                positionalCount += 1
                continue
            }
            if let index = slots.firstIndex(where: { $0.definition.name == name }) {
                slots[index].override = entry.value
            } else if let number = Int(name), name.allSatisfy(\.isWholeNumber),
                      number >= 1, number <= slots.count {
                slots[number - 1].override = entry.value
            } else if declaresNamed || Int(name) != nil {
                let known = knownNames.isEmpty ? "none" : knownNames.joined(separator: ", ")
                errors.append(ParamError(param: name, message: "unknown param \"\(name)\" (known params: \(known))"))
            } else {
                slots.append(Slot(definition: ParamDefinition(name: name), override: entry.value))
            }
        }
        return errors
    }

    private static func resolve(_ slot: Slot, key: String) -> (ResolvedParam, [ParamError]) {
        let definition = slot.definition
        let name = definition.name
        let candidate: JSONValue
        if let override = slot.override {
            candidate = override
        } else if let eval = definition.eval {
            return (ResolvedParam(name: name, value: .string(eval), needsEval: true), [])
        } else if let defaultValue = definition.defaultValue {
            candidate = defaultValue
        } else {
            let problems = definition.required ? [required(key)] : []
            return (ResolvedParam(name: name, value: .null), problems)
        }

        if definition.required, candidate == .string("") {
            return (ResolvedParam(name: name, value: candidate), [required(key)])
        }
        switch ParamValidator.problems(candidate, for: definition) {
        case .success(let value):
            return (ResolvedParam(name: name, value: value), [])
        case .failure(let failure):
            let problems = failure.problems.map { ParamError.value(key, $0) }
            return (ResolvedParam(name: name, value: candidate), problems)
        }
    }

    private static func required(_ key: String) -> ParamError {
        ParamError(param: key, message: "param \"\(key)\" is required")
    }
}
