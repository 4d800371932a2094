/// Evaluating `env` lists (§5.1).
extension Substitutor {
    /// Evaluates `entries` in file order with the full pipeline, each seeing the scope plus the
    /// entries before it (`B: "${A}2"`), and returns them as a layer from `source`.
    ///
    /// An entry sees earlier entries through the layer being built, so precedence still holds: a
    /// higher layer already in the scope (say a step env over DAG env) wins over an earlier entry.
    /// A name given twice keeps its first position and its last value. Errors name the entry.
    public func evaluate(
        _ entries: [EnvEntry], as source: SubstitutionSource
    ) async throws(SubstitutionError) -> SubstitutionLayer {
        var layer = SubstitutionLayer(source: source)
        for entry in entries {
            let substitutor = Substitutor(scope: scope.adding(layer), commands: commands)
            do {
                let value = try await substitutor.substitute(entry.value, mode: .full)
                layer.bind(entry.name, to: value)
            } catch {
                throw error.naming(field: "env \(entry.name)")
            }
        }
        return layer
    }

    /// This substitutor with `entries` evaluated and added to its scope as a layer from `source`.
    public func adding(
        _ entries: [EnvEntry], as source: SubstitutionSource
    ) async throws(SubstitutionError) -> Substitutor {
        let layer = try await evaluate(entries, as: source)
        return Substitutor(scope: scope.adding(layer), commands: commands)
    }
}
