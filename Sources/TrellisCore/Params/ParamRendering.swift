/// The API forms of a DAG's param definitions (DAG-FORMAT §4.5, API §9.3).
///
/// A definition's shown default is its `eval` text when it has one (as written, backticks
/// included), else its literal default coerced to its type when possible (`"25"` → `25`).
/// Definitions with neither are left out of `params` and `defaultParams`, as in Dagu.
public enum ParamRendering {
    /// `params`: `["NAME=value", …]` in order; positional ones as `"value"`.
    public static func apiParams(_ defs: [ParamDefinition]) -> [String] {
        defs.compactMap { definition in
            shownDefault(definition).map { value in
                definition.name.map { "\($0)=\(value)" } ?? value
            }
        }
    }

    /// `defaultParams`: one string of `NAME="value"` (JSON string quoting) separated by
    /// spaces; positional ones as `"value"`.
    public static func defaultParams(_ defs: [ParamDefinition]) -> String {
        defs.compactMap { definition in
            shownDefault(definition).map { value in
                let quoted = JSONNumberFormat.quoted(value)
                return definition.name.map { "\($0)=\(quoted)" } ?? quoted
            }
        }
        .joined(separator: " ")
    }

    /// `paramSchema`: `{type: "object", properties: {…}, required: […]}` with one property per
    /// named definition in order (plain ones as `{type: "string", default}`), or `nil` when no
    /// definition is typed. Property keys: `type`, `description`, `default`, `enum`,
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`,
    /// `minLength`, `maxLength`, `pattern`, each only when set; `required` only when some
    /// param is required.
    public static func compiledSchema(_ defs: [ParamDefinition]) -> JSONValue? {
        guard defs.contains(where: \.isTyped) else { return nil }
        var properties = JSONObject()
        var required: [JSONValue] = []
        for definition in defs {
            guard let name = definition.name else { continue }
            var property = JSONObject()
            property["type"] = .string(definition.type?.rawValue ?? "string")
            property["description"] = definition.description.map(JSONValue.string)
            if definition.eval == nil {
                property["default"] = typedDefault(definition)
            }
            property["enum"] = typedEnum(definition)
            property["minimum"] = definition.minimum.map(number)
            property["maximum"] = definition.maximum.map(number)
            property["exclusiveMinimum"] = definition.exclusiveMinimum.map(number)
            property["exclusiveMaximum"] = definition.exclusiveMaximum.map(number)
            property["multipleOf"] = definition.multipleOf.map(number)
            property["minLength"] = definition.minLength.map(JSONValue.integer)
            property["maxLength"] = definition.maxLength.map(JSONValue.integer)
            property["pattern"] = definition.pattern.map(JSONValue.string)
            properties[name] = .object(property)
            if definition.required { required.append(.string(name)) }
        }
        var schema: JSONObject = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }

    /// `paramDefs`: one `ParamDef` per definition in order — `{name?, type, default?,
    /// description?, required?: true, enum?, minimum?, maximum?, minLength?, maxLength?,
    /// pattern?}`; positional ones have no `name`, untyped ones are `"string"`, an `eval`
    /// default is not shown.
    public static func apiParamDefs(_ defs: [ParamDefinition]) -> [JSONValue] {
        defs.map { definition in
            var object = JSONObject()
            object["name"] = definition.name.map(JSONValue.string)
            object["type"] = .string(definition.type?.rawValue ?? "string")
            if definition.eval == nil {
                object["default"] = typedDefault(definition)
            }
            object["description"] = definition.description.map(JSONValue.string)
            if definition.required { object["required"] = .bool(true) }
            object["enum"] = typedEnum(definition)
            object["minimum"] = definition.minimum.map(number)
            object["maximum"] = definition.maximum.map(number)
            object["minLength"] = definition.minLength.map(JSONValue.integer)
            object["maxLength"] = definition.maxLength.map(JSONValue.integer)
            object["pattern"] = definition.pattern.map(JSONValue.string)
            return .object(object)
        }
    }

    /// The eval text, else the (coerced) literal default as text, else `nil`.
    private static func shownDefault(_ definition: ParamDefinition) -> String? {
        if let eval = definition.eval { return eval }
        return typedDefault(definition)?.plainText
    }

    /// The literal default coerced to the definition's type, or as written when it does not
    /// coerce.
    private static func typedDefault(_ definition: ParamDefinition) -> JSONValue? {
        guard let value = definition.defaultValue else { return nil }
        return (try? ParamCoercion.coerce(value, to: definition.type).get()) ?? value
    }

    private static func typedEnum(_ definition: ParamDefinition) -> JSONValue? {
        definition.enumValues.map { values in
            .array(values.map { (try? ParamCoercion.coerce($0, to: definition.type).get()) ?? $0 })
        }
    }

    /// An integral bound as a JSON integer (`1`), any other as a JSON number.
    private static func number(_ value: Double) -> JSONValue {
        if value.rounded() == value, abs(value) < 1e15, let exact = Int(exactly: value) {
            return .integer(exact)
        }
        return .number(value)
    }
}
