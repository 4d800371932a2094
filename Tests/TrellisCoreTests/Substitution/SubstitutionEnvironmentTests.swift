import Testing
@testable import TrellisCore

@Suite("Substitution: env evaluation")
struct SubstitutionEnvironmentTests {
    private static let base = SubstitutionScope(layers: [
        SubstitutionLayer(source: .hostEnvironment, bindings: [("PATH", "/usr/bin")]),
        SubstitutionLayer(source: .params, bindings: [("P", "param")]),
    ])

    private func evaluate(
        _ entries: [(String, String)], as source: SubstitutionSource = .dagEnvironment,
        scope: SubstitutionScope = base, runner: FakeCommandRunner = FakeCommandRunner()
    ) async throws -> [SubstitutionLayer.Binding] {
        let substitutor = Substitutor(scope: scope, commands: runner)
        let layer = try await substitutor.evaluate(entries.map { EnvEntry(name: $0.0, value: $0.1) }, as: source)
        #expect(layer.source == source)
        return layer.bindings
    }

    private func bindings(_ pairs: [(String, String)]) -> [SubstitutionLayer.Binding] {
        pairs.map { SubstitutionLayer.Binding(name: $0.0, value: $0.1) }
    }

    @Test func laterEntriesSeeEarlierOnes() async throws {
        let result = try await evaluate([("A", "1"), ("B", "${A}2"), ("C", "$B$B-$P")])
        #expect(result == bindings([("A", "1"), ("B", "12"), ("C", "1212-param")]))
    }

    @Test func earlierEntriesDoNotSeeLaterOnes() async throws {
        let result = try await evaluate([("B", "${A}2"), ("A", "1")])
        #expect(result == bindings([("B", "${A}2"), ("A", "1")]))
    }

    @Test func redefinitionSeesThePreviousValueAndKeepsPosition() async throws {
        let result = try await evaluate([("A", "1"), ("B", "b"), ("A", "${A}x")])
        #expect(result == bindings([("A", "1x"), ("B", "b")]))
    }

    @Test func hostVariablesExtendThemselves() async throws {
        let result = try await evaluate([("PATH", "/opt/bin:${PATH}"), ("HOME_DIR", "${HOME:-/root}")])
        #expect(result == bindings([("PATH", "/opt/bin:/usr/bin"), ("HOME_DIR", "/root")]))
    }

    @Test("a higher layer already in the scope wins over an earlier entry of a lower one")
    func precedenceDuringEvaluation() async throws {
        let scope = Self.base.adding(.builtins, [("X", "builtin")])
        let result = try await evaluate([("X", "env"), ("Y", "$X")], scope: scope)
        #expect(result == bindings([("X", "env"), ("Y", "builtin")]))
    }

    @Test func stepEnvironmentSeesOutputsAndOverridesDAGEnvironment() async throws {
        let scope = Self.base
            .adding(.dagEnvironment, [("A", "dag")])
            .adding(.outputs, [("OUT", #"{"url":"u"}"#)])
        let substitutor = try await Substitutor(scope: scope).adding(
            [EnvEntry(name: "A", value: "step-${A}"), EnvEntry(name: "U", value: "${OUT.url}")], as: .stepEnvironment
        )
        #expect(substitutor.scope.value(of: "A") == "step-dag")
        #expect(substitutor.scope.value(of: "U") == "u")
        #expect(substitutor.scope.binding(of: "A")?.source == .stepEnvironment)
    }

    @Test func valuesRunBackticksAndKeepEscapes() async throws {
        let runner = FakeCommandRunner(outputs: ["date +%F": "2026-01-02\n"])
        let result = try await evaluate([("D", "`date +%F`"), ("E", "\\$D=$D")], runner: runner)
        #expect(result == bindings([("D", "2026-01-02"), ("E", "$D=2026-01-02")]))
        #expect(await runner.calls == ["date +%F"])
    }

    @Test func errorsNameTheEntryAndStopEvaluation() async throws {
        let runner = FakeCommandRunner(failing: ["boom"])
        let error = await #expect(throws: SubstitutionError.self) {
            try await evaluate([("A", "1"), ("B", "`boom`"), ("C", "`later`")], runner: runner)
        }
        #expect(error?.field == "env B")
        #expect(error?.message == "env B: command substitution `boom` failed: exit status 1")
        #expect(await runner.calls == ["boom"])
    }

    @Test func emptyListGivesAnEmptyLayer() async throws {
        #expect(try await evaluate([]).isEmpty)
    }
}
