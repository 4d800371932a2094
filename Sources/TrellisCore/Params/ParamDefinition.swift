/// One declared param of a DAG (DAG-FORMAT §4): a plain `A=1` / positional value, a typed
/// definition (`- {name: batch_size, type: integer, …}`) or a property of an inline schema.
///
/// The loader builds these from YAML; `ParamResolver` applies overrides and the constraints;
/// `ParamRendering` produces the API forms. Nothing here does I/O.
public struct ParamDefinition: Sendable, Hashable {
    /// The name, or `nil` for a positional param (addressed as `1`, `2`, … by its place among
    /// all params).
    public var name: String?
    /// The declared type; `nil` for a plain param or a typed definition without `type`, both
    /// of which hold text.
    public var type: ParamType?
    /// The literal default: a scalar (string, integer, number or boolean), or `nil`.
    public var defaultValue: JSONValue?
    /// Human-readable description.
    public var description: String?
    /// Whether a value must be present (a default, an `eval`, or an override) and non-empty.
    public var required: Bool
    /// The allowed values; compared after coercion to `type`.
    public var enumValues: [JSONValue]?
    /// Inclusive lower bound for integer/number params.
    public var minimum: Double?
    /// Inclusive upper bound for integer/number params.
    public var maximum: Double?
    /// Exclusive lower bound for integer/number params.
    public var exclusiveMinimum: Double?
    /// Exclusive upper bound for integer/number params.
    public var exclusiveMaximum: Double?
    /// The value must be a multiple of this (> 0) for integer/number params.
    public var multipleOf: Double?
    /// Minimum length in Unicode code points (as JSON Schema counts) for text params.
    public var minLength: Int?
    /// Maximum length in Unicode code points for text params.
    public var maxLength: Int?
    /// A regular expression the text must contain a match of (unanchored, as JSON Schema's
    /// `pattern`); compiled with `NSRegularExpression`.
    public var pattern: String?
    /// Shell text whose output becomes the default when the run is built (the engine runs it;
    /// it is kept here as written).
    public var eval: String?
    /// Whether this came from a typed definition or a schema property, rather than a plain
    /// `A=1` / positional value.
    public var isTyped: Bool

    /// Creates a definition; every constraint defaults to absent.
    public init(
        name: String?,
        type: ParamType? = nil,
        defaultValue: JSONValue? = nil,
        description: String? = nil,
        required: Bool = false,
        enumValues: [JSONValue]? = nil,
        minimum: Double? = nil,
        maximum: Double? = nil,
        exclusiveMinimum: Double? = nil,
        exclusiveMaximum: Double? = nil,
        multipleOf: Double? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        pattern: String? = nil,
        eval: String? = nil,
        isTyped: Bool = false
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.description = description
        self.required = required
        self.enumValues = enumValues
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
        self.multipleOf = multipleOf
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.eval = eval
        self.isTyped = isTyped
    }

    /// A plain untyped param such as `A=1` (`name` given) or `pos` (`name` nil).
    public static func plain(name: String? = nil, value: String) -> ParamDefinition {
        ParamDefinition(name: name, defaultValue: .string(value))
    }

    /// The plain params of a params string, in order (`A=1 B="two words" pos`).
    public static func plain(parsing text: String) throws(ParamError) -> [ParamDefinition] {
        try ParamStringParser.parse(text).map { plain(name: $0.name, value: $0.value) }
    }

    /// Whether the definition has any numeric constraint.
    var hasNumericConstraints: Bool {
        minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil
            || multipleOf != nil
    }

    /// Whether the definition has any text constraint.
    var hasTextConstraints: Bool {
        minLength != nil || maxLength != nil || pattern != nil
    }
}
