/// A run's params after overrides, coercion and validation, with the forms the engine and
/// the run record need (DAG-FORMAT §4.4).
///
/// Keys: a named param is `NAME`; a positional one is its 1-based place among **all** items
/// (`params: A=1 pos` makes `pos` `$2`, as Dagu does).
public struct ResolvedParams: Sendable, Hashable {
    /// The params in definition order, then extra overrides in the order given.
    public var items: [ResolvedParam]
    /// The override's JSON text when the override was JSON (`DAG_PARAMS_JSON` then carries it
    /// verbatim).
    public var rawJSON: String?

    /// Creates the set.
    public init(items: [ResolvedParam], rawJSON: String? = nil) {
        self.items = items
        self.rawJSON = rawJSON
    }

    /// The key of the item at `index`: its name, or `"1"`, `"2"`, … for a positional one.
    public func key(at index: Int) -> String {
        items[index].name ?? String(index + 1)
    }

    /// The item named `name`, or the positional/any item whose number is `name` (`"2"`).
    public subscript(key: String) -> ResolvedParam? {
        if let named = items.first(where: { $0.name == key }) { return named }
        guard let number = Int(key), number >= 1, number <= items.count else { return nil }
        return items[number - 1]
    }

    /// Variables for every step: `NAME=rendered` for named params and `N=rendered` for
    /// positional ones (`N` = place among all items, from 1), in item order. A param without
    /// a value exports `""`.
    public var environment: [(String, String)] {
        items.indices.map { (key(at: $0), items[$0].rendered) }
    }

    /// `DAG_PARAMS_JSON`: `rawJSON` when present, else a JSON object of every param by key
    /// in item order, typed values as JSON numbers/booleans; params without a value
    /// (`null`) are left out.
    public var paramsJSON: String {
        if let rawJSON { return rawJSON }
        var object = JSONObject()
        for index in items.indices where items[index].value != .null {
            object[key(at: index)] = items[index].value
        }
        return JSONValue.object(object).serialized()
    }

    /// The run record's `params`: space-joined `NAME=value` (positional: `value`), each value
    /// double-quoted when needed so that `ParamStringParser` reads it back unchanged.
    public var paramsString: String {
        items.map { ParamQuoting.token(name: $0.name, value: $0.rendered) }.joined(separator: " ")
    }

    /// Replaces the `eval` text of the item at `index` with the command's `output`, coerced
    /// and checked against `definition`; returns the problems (the item is left unchanged
    /// when there are any, and when `index` is out of range or the item needs no eval).
    public mutating func applyEvaluation(
        _ output: String, at index: Int, definition: ParamDefinition
    ) -> [ParamError] {
        guard items.indices.contains(index), items[index].needsEval else {
            return [ParamError(param: nil, message: "param #\(index + 1) has no eval to apply")]
        }
        let param = key(at: index)
        if definition.required, output.isEmpty {
            return [ParamError(param: param, message: "param \"\(param)\" is required")]
        }
        switch ParamValidator.validate(.string(output), for: definition, param: param) {
        case .success(let value):
            items[index] = ResolvedParam(name: items[index].name, value: value)
            return []
        case .failure(let failure):
            return failure.errors
        }
    }
}
