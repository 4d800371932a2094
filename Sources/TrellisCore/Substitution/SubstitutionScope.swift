/// The variables and step references a string is substituted against.
///
/// Layers are ordered by `SubstitutionSource` (§5.2: filtered host environment < params < DAG
/// env/dotenv < built-ins < upstream outputs < step env); among layers from the same source, the
/// one added later wins. A scope is a value: adding a layer returns a new scope.
public struct SubstitutionScope: Sendable, Hashable {
    /// The layers, lowest precedence first.
    public private(set) var layers: [SubstitutionLayer]
    /// Steps that declare an `id`, by id, for `${id.stdout}`, `${id.stderr}`, `${id.exit_code}`.
    public var stepReferences: [String: StepReference]

    /// A scope with `layers` (in any order; they are ranked by source) and step references.
    public init(layers: [SubstitutionLayer] = [], stepReferences: [String: StepReference] = [:]) {
        self.layers = []
        self.stepReferences = stepReferences
        for layer in layers {
            add(layer)
        }
    }

    /// Adds `layer` above every layer of the same or a lower source.
    public mutating func add(_ layer: SubstitutionLayer) {
        let position = layers.lastIndex { $0.source <= layer.source }.map { $0 + 1 } ?? 0
        layers.insert(layer, at: position)
    }

    /// This scope with `layer` added.
    public func adding(_ layer: SubstitutionLayer) -> SubstitutionScope {
        var scope = self
        scope.add(layer)
        return scope
    }

    /// This scope with a layer of `bindings` from `source` added.
    public func adding(_ source: SubstitutionSource, _ bindings: [(String, String)]) -> SubstitutionScope {
        adding(SubstitutionLayer(source: source, bindings: bindings))
    }

    /// This scope on top of `base`: `base`'s layers first, then this scope's, so that for the same
    /// source this scope wins; step references are merged, this scope's winning.
    public func layered(over base: SubstitutionScope) -> SubstitutionScope {
        var scope = base
        for layer in layers {
            scope.add(layer)
        }
        scope.stepReferences.merge(stepReferences) { _, mine in mine }
        return scope
    }

    /// The value of `name` from the highest-precedence layer that binds it.
    public func value(of name: String) -> String? {
        binding(of: name)?.value
    }

    /// The value of `name` and the source of the layer it comes from.
    public func binding(of name: String) -> (value: String, source: SubstitutionSource)? {
        for layer in layers.reversed() {
            if let value = layer[name] { return (value, layer.source) }
        }
        return nil
    }

    /// The value of `name` if some layer other than the host environment binds it.
    ///
    /// This is what "known to Trellis" means for a shell `command` (§5.3): params, DAG env and
    /// dotenv, built-ins, outputs and step env — but not the filtered host environment, which
    /// the shell expands itself.
    public func trellisValue(of name: String) -> String? {
        for layer in layers.reversed() where layer.source != .hostEnvironment {
            if let value = layer[name] { return value }
        }
        return nil
    }

    /// Whether `name` is bound in some layer other than the host environment.
    public func isKnownToTrellis(_ name: String) -> Bool {
        trellisValue(of: name) != nil
    }

    /// Every visible name with its winning value, sorted by name: a step's process environment.
    public var resolvedBindings: [SubstitutionLayer.Binding] {
        var winners: [String: String] = [:]
        for layer in layers {
            for binding in layer.bindings {
                winners[binding.name] = binding.value
            }
        }
        return winners.sorted { $0.key < $1.key }.map { SubstitutionLayer.Binding(name: $0.key, value: $0.value) }
    }
}
