import Testing
@testable import TrellisCore

@Suite("Substitution: scope and precedence")
struct SubstitutionScopeTests {
    @Test("each source beats every lower one, whatever the order layers are added in")
    func precedenceBySource() {
        let sources = SubstitutionSource.allCases
        for (lower, higher) in zip(sources, sources.dropFirst()) {
            let scope = SubstitutionScope()
                .adding(higher, [("V", "\(higher)")])
                .adding(lower, [("V", "\(lower)")])
            #expect(scope.value(of: "V") == "\(higher)")
            #expect(scope.binding(of: "V")?.source == higher)
        }
        #expect(sources == [.hostEnvironment, .params, .dagEnvironment, .builtins, .outputs, .stepEnvironment])
    }

    @Test func fullPrecedenceChain() {
        let scope = SubstitutionFixture.scope
        #expect(scope.value(of: "P") == "step")
        #expect(scope.value(of: "HOSTONLY") == "h")
        #expect(scope.value(of: "missing") == nil)
        #expect(scope.layers.map(\.source) == SubstitutionSource.allCases)
    }

    @Test func laterLayerOfTheSameSourceWins() {
        let scope = SubstitutionScope()
            .adding(.params, [("V", "first"), ("W", "w")])
            .adding(.params, [("V", "second")])
        #expect(scope.value(of: "V") == "second")
        #expect(scope.value(of: "W") == "w")
    }

    @Test func layeredOverPutsTheChildAboveWithinEachSource() {
        let base = SubstitutionScope(
            layers: [SubstitutionLayer(source: .params, bindings: [("V", "base"), ("B", "b")]),
                     SubstitutionLayer(source: .outputs, bindings: [("O", "base-out")])],
            stepReferences: ["s": StepReference(exitCode: 1), "t": StepReference(exitCode: 2)]
        )
        let child = SubstitutionScope(
            layers: [SubstitutionLayer(source: .params, bindings: [("V", "child"), ("O", "child-param")])],
            stepReferences: ["s": StepReference(exitCode: 9)]
        )
        let scope = child.layered(over: base)
        #expect(scope.value(of: "V") == "child")
        #expect(scope.value(of: "B") == "b")
        #expect(scope.value(of: "O") == "base-out")
        #expect(scope.stepReferences["s"]?.exitCode == 9)
        #expect(scope.stepReferences["t"]?.exitCode == 2)
    }

    @Test func knownToTrellisExcludesOnlyTheHostLayer() {
        let scope = SubstitutionFixture.scope
        #expect(!scope.isKnownToTrellis("HOSTONLY"))
        #expect(!scope.isKnownToTrellis("missing"))
        #expect(scope.isKnownToTrellis("NAME"))
        #expect(scope.isKnownToTrellis("ITEM"))
        #expect(scope.isKnownToTrellis("R"))
        #expect(scope.trellisValue(of: "P") == "step")
        let hostAndParam = SubstitutionScope()
            .adding(.hostEnvironment, [("X", "host")])
            .adding(.params, [("X", "param")])
        #expect(hostAndParam.trellisValue(of: "X") == "param")
    }

    @Test func layerKeepsFirstPositionAndLastValue() {
        var layer = SubstitutionLayer(source: .dagEnvironment, bindings: [("A", "1"), ("B", "2"), ("A", "3")])
        layer.bind("C", to: "4")
        #expect(layer.bindings.map(\.name) == ["A", "B", "C"])
        #expect(layer["A"] == "3")
        #expect(layer["Z"] == nil)
    }

    @Test func resolvedBindingsAreTheWinnersSortedByName() {
        let scope = SubstitutionScope()
            .adding(.stepEnvironment, [("B", "step")])
            .adding(.hostEnvironment, [("B", "host"), ("Z", "z")])
            .adding(.params, [("A", "a")])
        #expect(scope.resolvedBindings == [
            .init(name: "A", value: "a"), .init(name: "B", value: "step"), .init(name: "Z", value: "z"),
        ])
    }
}
