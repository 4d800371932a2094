import Testing
@testable import TrellisCore

/// `NAME=value` lines of the resolved environment, or the error messages.
func resolvedParamLines(_ definitions: [ParamDefinition], _ overrides: ParamOverrides) -> [String] {
    switch ParamResolver.resolve(definitions, overrides: overrides) {
    case .success(let resolved):
        return resolved.environment.map { "\($0.0)=\($0.1)" }
    case .failure(let failure):
        return failure.messages.map { "error: \($0)" }
    }
}

@Suite("Param resolver: overrides")
struct ParamResolverOverrideTests {
    static let plainAB = [ParamDefinition.plain(name: "A", value: "1"), .plain(name: "B", value: "2")]
    static let positionalOnly = [ParamDefinition.plain(value: "p1"), .plain(value: "p2")]
    static let mixed = [ParamDefinition.plain(value: "p1"), .plain(name: "A", value: "1"), .plain(value: "p3")]

    static let cases: [(String, [ParamDefinition], ParamOverrides, [String])] = [
        ("no overrides keep defaults", mixed, .none, ["1=p1", "A=1", "3=p3"]),
        ("blank text is no override", plainAB, .text("  "), ["A=1", "B=2"]),
        ("named replaces same name", plainAB, .text("B=5"), ["A=1", "B=5"]),
        ("quoted named value", plainAB, .text(#"A="two words""#), ["A=two words", "B=2"]),
        ("later named wins", plainAB, .text("A=x A=y"), ["A=y", "B=2"]),
        ("positional fill all definitions, names kept", plainAB, .text("x y"), ["A=x", "B=y"]),
        ("positional into positional", positionalOnly, .text("a"), ["1=a", "2=p2"]),
        ("extra positional appended", positionalOnly, .text("a b c d"), ["1=a", "2=b", "3=c", "4=d"]),
        // The k-th positional override targets the k-th definition, whatever named ones say.
        ("mixed: k-th positional hits k-th definition", mixed, .text("A=9 q r"), ["1=q", "A=r", "3=p3"]),
        ("mixed: named after positional wins", mixed, .text("q r A=9"), ["1=q", "A=9", "3=p3"]),
        ("unknown name is an error when names are declared", plainAB, .text("C=1"),
         ["error: unknown param \"C\" (known params: A, B)"]),
        ("every unknown name is reported", mixed, .text("X=1 Y=2"),
         ["error: unknown param \"X\" (known params: A)", "error: unknown param \"Y\" (known params: A)"]),
        ("unknown name appended when none are declared", positionalOnly, .text("X=1 a"), ["1=a", "2=p2", "X=1"]),
        ("extras after appended names keep numbering", [ParamDefinition.plain(value: "p1")], .text("X=1 a b"),
         ["1=a", "X=1", "3=b"]),
        ("no definitions: everything appended", [], .text("a K=v b"), ["1=a", "K=v", "3=b"]),
        ("JSON object gives named values", plainAB, .text(#"{"B": "x y", "A": 2}"#), ["A=2", "B=x y"]),
        ("JSON object after leading whitespace", plainAB, .text("\n  {\"A\": true}"), ["A=true", "B=2"]),
        ("JSON object with an unknown name", plainAB, .text(#"{"Z": 1}"#),
         ["error: unknown param \"Z\" (known params: A, B)"]),
        ("JSON array of scalars is positional", positionalOnly, .text(#"["a", 2, true, 1.5]"#),
         ["1=a", "2=2", "3=true", "4=1.5"]),
        ("JSON array of one-key objects is named", plainAB, .text(#"[{"B": "b"}, {"A": "a"}]"#), ["A=a", "B=b"]),
        // Same rule in JSON: "r" is the 2nd positional value, so it lands on A, after {"A": "n"}.
        ("JSON array mixing objects and scalars", mixed, .text(#"["q", {"A": "n"}, "r"]"#), ["1=q", "A=r", "3=p3"]),
        ("JSON value given directly", plainAB, .json(["A": 7]), ["A=7", "B=2"]),
        ("JSON scalar is one positional value", positionalOnly, .json("solo"), ["1=solo", "2=p2"]),
        ("JSON null is no override", plainAB, .json(.null), ["A=1", "B=2"]),
        ("JSON nested value into untyped param is compact JSON", plainAB, .json(["A": ["x": [1, 2]]]),
         [#"A={"x":[1,2]}"#, "B=2"]),
        ("JSON null into untyped param is empty", plainAB, .json(["A": .null]), ["A=", "B=2"]),
        ("numeric name addresses the N-th param", mixed, .json(["3": "z", "1": "y"]), ["1=y", "A=1", "3=z"]),
        ("numeric name beyond the params is an error", positionalOnly, .json(["5": "z"]),
         ["error: unknown param \"5\" (known params: none)"]),
        ("pre-tokenized overrides", mixed, .tokens([ParamToken(name: "A", value: "t"), ParamToken(value: "u")]),
         ["1=u", "A=t", "3=p3"]),
        ("invalid JSON is an error", plainAB, .text(#"{"A": }"#),
         [#"error: params: invalid JSON: unexpected character "}" at offset 6"#]),
        ("unterminated quote is an error", plainAB, .text(#"A="x"#),
         ["error: params: unterminated double quote starting at column 3"]),
    ]

    @Test("applies overrides", arguments: cases)
    func appliesOverrides(label: String, definitions: [ParamDefinition], overrides: ParamOverrides, expected: [String]) {
        #expect(resolvedParamLines(definitions, overrides) == expected, "\(label)")
    }

    @Test func rawJSONIsKeptVerbatimForJSONText() throws {
        let text = #"{"B": "x",  "A": 2}"#
        let resolved = try ParamResolver.resolve(Self.plainAB, overrides: .text("  " + text + "\n")).get()
        #expect(resolved.rawJSON == text)
        #expect(resolved.paramsJSON == text)
    }

    @Test func rawJSONOfAJSONValueIsItsSerialization() throws {
        let resolved = try ParamResolver.resolve(Self.plainAB, overrides: .json(["B": 3, "A": "x"])).get()
        #expect(resolved.rawJSON == #"{"B":3,"A":"x"}"#)
    }

    @Test func textOverridesHaveNoRawJSON() throws {
        let resolved = try ParamResolver.resolve(Self.plainAB, overrides: .text("A=5")).get()
        #expect(resolved.rawJSON == nil)
        #expect(resolved.paramsJSON == #"{"A":"5","B":"2"}"#)
    }

    @Test func positionalOverrideKeepsTheDefinitionsType() throws {
        let definitions = [ParamDefinition(name: "count", type: .integer, defaultValue: 1, isTyped: true)]
        let resolved = try ParamResolver.resolve(definitions, overrides: .text("42")).get()
        #expect(resolved.items == [ResolvedParam(name: "count", value: .integer(42), rendered: "42")])
    }

    @Test func jsonTypedValuesReachTypedParams() throws {
        let definitions = [
            ParamDefinition(name: "n", type: .integer, isTyped: true),
            ParamDefinition(name: "flag", type: .boolean, isTyped: true),
            ParamDefinition(name: "ratio", type: .number, isTyped: true),
        ]
        let resolved = try ParamResolver.resolve(definitions, overrides: .text(#"{"n": 5, "flag": false, "ratio": 0.5}"#)).get()
        #expect(resolved.items.map(\.value) == [.integer(5), .bool(false), .number(0.5)])
        #expect(resolved.items.map(\.rendered) == ["5", "false", "0.5"])
    }
}
