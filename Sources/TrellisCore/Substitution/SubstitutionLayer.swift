/// Where a layer of variable bindings comes from, lowest precedence first (§5.2).
public enum SubstitutionSource: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// The filtered host environment (`HostEnvironmentFilter`). Not "known to Trellis": a shell
    /// `command` leaves these references to the shell.
    case hostEnvironment
    /// Resolved params, positional ones bound as `1`, `2`, ….
    case params
    /// DAG `env` and dotenv values.
    case dagEnvironment
    /// Built-in variables (§5.4), including `ITEM` for the children of a `parallel` step.
    case builtins
    /// Output variables of upstream steps.
    case outputs
    /// The step's own `env`.
    case stepEnvironment

    public static func < (lhs: SubstitutionSource, rhs: SubstitutionSource) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// One layer of ordered `name = value` bindings from a single source.
///
/// Names keep their first position; binding a name again replaces its value.
public struct SubstitutionLayer: Sendable, Hashable {
    /// Where the bindings come from; decides precedence in a `SubstitutionScope`.
    public let source: SubstitutionSource
    /// The bindings in the order they were first made.
    public private(set) var bindings: [Binding]
    private var positions: [String: Int]

    /// One `name = value` pair.
    public struct Binding: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A layer with `bindings` in order; a repeated name keeps its first position and last value.
    public init(source: SubstitutionSource, bindings: [(String, String)] = []) {
        self.source = source
        self.bindings = []
        positions = [:]
        for (name, value) in bindings {
            bind(name, to: value)
        }
    }

    /// The value bound to `name` in this layer.
    public subscript(name: String) -> String? {
        positions[name].map { bindings[$0].value }
    }

    /// Binds `name` to `value`, replacing an earlier value in place.
    public mutating func bind(_ name: String, to value: String) {
        if let position = positions[name] {
            bindings[position].value = value
        } else {
            positions[name] = bindings.count
            bindings.append(Binding(name: name, value: value))
        }
    }

    /// Whether the layer has no bindings.
    public var isEmpty: Bool { bindings.isEmpty }
}
