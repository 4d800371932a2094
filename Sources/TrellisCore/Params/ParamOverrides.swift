/// Values given for a run's params: from the CLI (`trellis start dag -- A=5 x`, `-p 'A=5 x'`),
/// the API `params` string, or a sub-DAG call (DAG-FORMAT §4.4).
public enum ParamOverrides: Sendable, Hashable {
    /// No overrides: every param keeps its default.
    case none
    /// A params string. When it starts (after whitespace) with `{` or `[` it must be JSON: an
    /// object gives named values, an array gives positional values (scalars) or named ones
    /// (objects, usually one key each). Any other text is tokenized by `ParamStringParser`.
    case text(String)
    /// A JSON value, read as for `.text`; a scalar is one positional value; `null` is none.
    case json(JSONValue)
    /// Already tokenized values (e.g. CLI arguments after `--`).
    case tokens([ParamToken])
}

/// One override after normalization: a name (or `nil` for positional) and a JSON value
/// (strings for tokens).
struct ParamOverrideEntry: Sendable, Hashable {
    var name: String?
    var value: JSONValue
}

extension ParamOverrides {
    /// The overrides as ordered entries, with the JSON text when they were JSON.
    func normalized() throws(ParamError) -> (entries: [ParamOverrideEntry], rawJSON: String?) {
        switch self {
        case .none:
            return ([], nil)
        case .tokens(let tokens):
            return (tokens.map { ParamOverrideEntry(name: $0.name, value: .string($0.value)) }, nil)
        case .json(.null):
            return ([], nil)
        case .json(let value):
            return (try Self.entries(fromJSON: value), value.serialized())
        case .text(let text):
            let trimmed = ParamCoercion.trimmed(text)
            guard let first = trimmed.first else { return ([], nil) }
            if first == "{" || first == "[" {
                let value: JSONValue
                do {
                    value = try JSONValue.parse(trimmed)
                } catch {
                    throw ParamError(param: nil, message: "params: invalid JSON: \(error)")
                }
                return (try Self.entries(fromJSON: value), trimmed)
            }
            let tokens = try ParamStringParser.parse(trimmed)
            return (tokens.map { ParamOverrideEntry(name: $0.name, value: .string($0.value)) }, nil)
        }
    }

    /// Object members become named entries in order; array items become positional entries,
    /// except objects, whose members become named entries; a scalar is one positional entry.
    private static func entries(fromJSON value: JSONValue) throws(ParamError) -> [ParamOverrideEntry] {
        switch value {
        case .object(let object):
            return try named(object)
        case .array(let items):
            var entries: [ParamOverrideEntry] = []
            for item in items {
                if case .object(let object) = item {
                    entries += try named(object)
                } else {
                    entries.append(ParamOverrideEntry(name: nil, value: item))
                }
            }
            return entries
        default:
            return [ParamOverrideEntry(name: nil, value: value)]
        }
    }

    private static func named(_ object: JSONObject) throws(ParamError) -> [ParamOverrideEntry] {
        var entries: [ParamOverrideEntry] = []
        for (key, value) in object.entries {
            guard !key.isEmpty else {
                throw ParamError(param: nil, message: "params: a JSON param name is empty")
            }
            entries.append(ParamOverrideEntry(name: key, value: value))
        }
        return entries
    }
}
