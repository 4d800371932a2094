import Testing
@testable import TrellisCore

@Suite("Resolved params: environment, JSON, record string")
struct ResolvedParamsTests {
    static let definitions = [
        ParamDefinition(name: "environment", type: .string, defaultValue: "staging", isTyped: true),
        ParamDefinition(name: "batch_size", type: .integer, defaultValue: 25, isTyped: true),
        ParamDefinition(name: "ratio", type: .number, defaultValue: 2.0, isTyped: true),
        ParamDefinition(name: "dry_run", type: .boolean, defaultValue: "true", isTyped: true),
        ParamDefinition(name: "unset", type: .string, isTyped: true),
        ParamDefinition.plain(name: "NOTE", value: "two words"),
        ParamDefinition.plain(value: "pos"),
    ]

    @Test func environmentUsesNamesAndPositionNumbers() throws {
        let resolved = try ParamResolver.resolve(Self.definitions, overrides: .text("batch_size=50")).get()
        #expect(resolved.environment.map { "\($0.0)=\($0.1)" } == [
            "environment=staging", "batch_size=50", "ratio=2", "dry_run=true", "unset=", "NOTE=two words", "7=pos",
        ])
        #expect(resolved["7"]?.value == .string("pos"))
        #expect(resolved["batch_size"]?.value == .integer(50))
        #expect(resolved["8"] == nil)
    }

    @Test func paramsJSONIsTypedAndOrdered() throws {
        let resolved = try ParamResolver.resolve(Self.definitions, overrides: .none).get()
        #expect(resolved.paramsJSON
            == #"{"environment":"staging","batch_size":25,"ratio":2,"dry_run":true,"NOTE":"two words","7":"pos"}"#)
    }

    @Test func paramsStringQuotesOnlyWhenNeeded() throws {
        let resolved = try ParamResolver.resolve(Self.definitions, overrides: .none).get()
        #expect(resolved.paramsString
            == #"environment=staging batch_size=25 ratio=2 dry_run=true unset= NOTE="two words" pos"#)
    }

    static let quotingCases: [(String?, String, String)] = [
        ("A", "plain", "A=plain"),
        ("A", "", "A="),
        (nil, "", #""""#),
        ("A", "two words", #"A="two words""#),
        ("A", #"say "hi""#, #"A="say \"hi\"""#),
        ("A", "line1\nline2", #"A="line1\nline2""#),
        ("A", #"C:\dir"#, #"A=C:\dir"#),
        ("A", #"C:\my dir"#, #"A="C:\\my dir""#),
        ("A", "a`b", #"A="a`b""#),
        (nil, "X=1", #""X=1""#),
        (nil, "{x}", #""{x}""#),
        (nil, "a=b-c", #""a=b-c""#),
        (nil, "1=x", "1=x"),
    ]

    @Test("paramsString tokens read back unchanged", arguments: quotingCases)
    func quotingRoundTrips(name: String?, value: String, expected: String) throws {
        let token = ParamQuoting.token(name: name, value: value)
        #expect(token == expected)
        #expect(try ParamStringParser.parse(token) == [ParamToken(name: name, value: value)])
    }

    @Test func applyEvaluationCoercesAndValidates() throws {
        let definitions = [
            ParamDefinition(name: "n", type: .integer, minimum: 1, eval: "`echo 3`", isTyped: true),
            ParamDefinition(name: "day", eval: "`date +%F`", isTyped: true),
        ]
        var resolved = try ParamResolver.resolve(definitions, overrides: .none).get()
        #expect(resolved.items.allSatisfy { $0.needsEval })

        #expect(resolved.applyEvaluation("0", at: 0, definition: definitions[0]).map(\.message)
            == [#"param "n": value 0 is less than minimum 1"#])
        #expect(resolved.items[0].needsEval)

        #expect(resolved.applyEvaluation("3", at: 0, definition: definitions[0]) == [])
        #expect(resolved.applyEvaluation("2026-01-02", at: 1, definition: definitions[1]) == [])
        #expect(resolved.items == [
            ResolvedParam(name: "n", value: .integer(3)),
            ResolvedParam(name: "day", value: .string("2026-01-02")),
        ])
        #expect(resolved.paramsJSON == #"{"n":3,"day":"2026-01-02"}"#)
        #expect(resolved.applyEvaluation("4", at: 0, definition: definitions[0]).count == 1)
    }

    @Test func renderedFormsOfValues() {
        #expect(ResolvedParam(name: "a", value: .integer(50)).rendered == "50")
        #expect(ResolvedParam(name: "a", value: .number(2.5)).rendered == "2.5")
        #expect(ResolvedParam(name: "a", value: .number(3.0)).rendered == "3")
        #expect(ResolvedParam(name: "a", value: .bool(true)).rendered == "true")
        #expect(ResolvedParam(name: "a", value: .string("two words")).rendered == "two words")
        #expect(ResolvedParam(name: "a", value: .null).rendered == "")
    }

    @Test func errorsDescribeThemselves() {
        let errors = ParamErrors([
            ParamError(param: "a", message: #"param "a" is required"#),
            ParamError(param: nil, message: "params: bad"),
        ])
        #expect(errors.description == #"param "a" is required; params: bad"#)
        #expect(errors.errors[0].description == #"param "a" is required"#)
    }
}
