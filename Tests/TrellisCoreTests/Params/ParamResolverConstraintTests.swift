import Testing
@testable import TrellisCore

@Suite("Param resolver: coercion and constraints")
struct ParamResolverConstraintTests {
    private static func typed(
        _ type: ParamType?, _ configure: (inout ParamDefinition) -> Void = { _ in }
    ) -> ParamDefinition {
        var definition = ParamDefinition(name: "p", type: type, isTyped: true)
        configure(&definition)
        return definition
    }

    /// (definition, override value, expected value or nil, expected error messages)
    static let cases: [(String, ParamDefinition, JSONValue, JSONValue?, [String])] = [
        // integer
        ("integer from string", typed(.integer), "50", .integer(50), []),
        ("negative integer from string", typed(.integer), "-3", .integer(-3), []),
        ("integer with surrounding spaces", typed(.integer), " 7 ", .integer(7), []),
        ("integer from JSON integer", typed(.integer), 12, .integer(12), []),
        ("integer from integral JSON number", typed(.integer), 4.0, .integer(4), []),
        ("integer rejects fraction string", typed(.integer), "5.5", nil, [#"param "p": "5.5" is not an integer"#]),
        ("integer rejects words", typed(.integer), "abc", nil, [#"param "p": "abc" is not an integer"#]),
        ("integer rejects exponent string", typed(.integer), "1e3", nil, [#"param "p": "1e3" is not an integer"#]),
        ("integer rejects JSON fraction", typed(.integer), 5.5, nil, [#"param "p": 5.5 is not an integer"#]),
        ("integer rejects boolean", typed(.integer), true, nil, [#"param "p": true is not an integer"#]),
        ("integer rejects overflow", typed(.integer), "99999999999999999999", nil,
         [#"param "p": "99999999999999999999" is not an integer"#]),
        // number
        ("number from decimal string", typed(.number), "2.5", .number(2.5), []),
        ("number from integer string", typed(.number), "3", .integer(3), []),
        ("number from exponent string", typed(.number), "1e3", .number(1000), []),
        ("number from leading-dot string", typed(.number), "-.5", .number(-0.5), []),
        ("number from JSON integer", typed(.number), 8, .integer(8), []),
        ("number rejects nan", typed(.number), "nan", nil, [#"param "p": "nan" is not a number"#]),
        ("number rejects inf", typed(.number), "inf", nil, [#"param "p": "inf" is not a number"#]),
        ("number rejects hex", typed(.number), "0x10", nil, [#"param "p": "0x10" is not a number"#]),
        ("number rejects huge", typed(.number), "1e400", nil, [#"param "p": "1e400" is not a number"#]),
        // boolean
        ("boolean true", typed(.boolean), "true", .bool(true), []),
        ("boolean mixed case", typed(.boolean), "FaLsE", .bool(false), []),
        ("boolean from JSON", typed(.boolean), true, .bool(true), []),
        ("boolean rejects yes", typed(.boolean), "yes", nil, [#"param "p": "yes" is not a boolean"#]),
        ("boolean rejects 1", typed(.boolean), 1, nil, [#"param "p": 1 is not a boolean"#]),
        // string
        ("string keeps text", typed(.string), "hello", .string("hello"), []),
        ("string from JSON integer", typed(.string), 42, .string("42"), []),
        ("string from JSON number", typed(.string), 2.5, .string("2.5"), []),
        ("string from JSON bool", typed(.string), false, .string("false"), []),
        ("string rejects object", typed(.string), ["a": 1], nil, [#"param "p": {"a":1} is not a string"#]),
        ("string rejects null", typed(.string), .null, nil, [#"param "p": null is not a string"#]),
        ("untyped takes JSON as text", typed(nil), [1, "x"], .string(#"[1,"x"]"#), []),
        // enum (compared after coercion)
        ("enum match", typed(.string) { $0.enumValues = ["staging", "production"] }, "staging", .string("staging"), []),
        ("enum miss", typed(.string) { $0.enumValues = ["staging", "production"] }, "dev", nil,
         [#"param "p": value "dev" is not one of [staging, production]"#]),
        ("enum integer after coercion", typed(.integer) { $0.enumValues = [1, 2, 3] }, "2", .integer(2), []),
        ("enum integer miss", typed(.integer) { $0.enumValues = [1, 2] }, "7", nil,
         [#"param "p": value 7 is not one of [1, 2]"#]),
        ("enum of strings for integers", typed(.integer) { $0.enumValues = ["10", "20"] }, 20, .integer(20), []),
        ("enum number equals integer", typed(.number) { $0.enumValues = [1.5, 2] }, "2.0", .number(2), []),
        ("enum boolean", typed(.boolean) { $0.enumValues = [true] }, "false", nil,
         [#"param "p": value false is not one of [true]"#]),
        // numeric bounds
        ("minimum ok at bound", typed(.integer) { $0.minimum = 1 }, "1", .integer(1), []),
        ("minimum violated", typed(.integer) { $0.minimum = 1 }, "0", nil, [#"param "p": value 0 is less than minimum 1"#]),
        ("maximum violated", typed(.number) { $0.maximum = 2.5 }, "2.6", nil,
         [#"param "p": value 2.6 is greater than maximum 2.5"#]),
        ("maximum ok at bound", typed(.number) { $0.maximum = 2.5 }, 2.5, .number(2.5), []),
        ("exclusive minimum at bound", typed(.integer) { $0.exclusiveMinimum = 0 }, "0", nil,
         [#"param "p": value 0 is not greater than exclusive minimum 0"#]),
        ("exclusive minimum above", typed(.integer) { $0.exclusiveMinimum = 0 }, "1", .integer(1), []),
        ("exclusive maximum at bound", typed(.number) { $0.exclusiveMaximum = 1 }, "1", nil,
         [#"param "p": value 1 is not less than exclusive maximum 1"#]),
        ("multipleOf ok", typed(.integer) { $0.multipleOf = 5 }, "15", .integer(15), []),
        ("multipleOf violated", typed(.integer) { $0.multipleOf = 5 }, "7", nil, [#"param "p": value 7 is not a multiple of 5"#]),
        ("multipleOf fraction ok", typed(.number) { $0.multipleOf = 0.1 }, "0.3", .number(0.3), []),
        ("multipleOf fraction violated", typed(.number) { $0.multipleOf = 0.25 }, "0.3", nil,
         [#"param "p": value 0.3 is not a multiple of 0.25"#]),
        // text constraints
        ("minLength ok", typed(.string) { $0.minLength = 3 }, "abc", .string("abc"), []),
        ("minLength violated", typed(.string) { $0.minLength = 3 }, "ab", nil,
         [#"param "p": value "ab" is shorter than minimum length 3"#]),
        ("maxLength violated", typed(.string) { $0.maxLength = 3 }, "abcd", nil,
         [#"param "p": value "abcd" is longer than maximum length 3"#]),
        ("lengths count code points", typed(.string) { $0.maxLength = 2 }, "é😀", .string("é😀"), []),
        ("pattern is unanchored", typed(.string) { $0.pattern = "[0-9]+" }, "v12x", .string("v12x"), []),
        ("anchored pattern violated", typed(.string) { $0.pattern = "^[a-z]+$" }, "abc1", nil,
         [#"param "p": value "abc1" does not match pattern "^[a-z]+$""#]),
        ("invalid pattern reported", typed(.string) { $0.pattern = "[" }, "x", nil,
         [#"param "p": pattern "[" is not a valid regular expression"#]),
        ("text constraints on untyped typed-definition", typed(nil) { $0.minLength = 2 }, "a", nil,
         [#"param "p": value "a" is shorter than minimum length 2"#]),
        ("several violations at once", typed(.string) { $0.minLength = 5; $0.pattern = "^x"; $0.enumValues = ["xxxxx"] },
         "ab", nil, [
            #"param "p": value "ab" is not one of [xxxxx]"#,
            #"param "p": value "ab" is shorter than minimum length 5"#,
            #"param "p": value "ab" does not match pattern "^x""#,
         ]),
        ("numeric violations at once", typed(.integer) { $0.maximum = 10; $0.multipleOf = 4 }, "11", nil, [
            #"param "p": value 11 is greater than maximum 10"#,
            #"param "p": value 11 is not a multiple of 4"#,
        ]),
    ]

    @Test("coerces and validates", arguments: cases)
    func coercesAndValidates(
        label: String, definition: ParamDefinition, value: JSONValue, expected: JSONValue?, errors: [String]
    ) {
        let result = ParamResolver.resolve([definition], overrides: .json(["p": value]))
        switch result {
        case .success(let resolved):
            #expect(errors.isEmpty, "\(label): expected errors \(errors)")
            #expect(resolved.items.first?.value == expected, "\(label)")
        case .failure(let failure):
            #expect(failure.messages == errors, "\(label)")
            #expect(expected == nil, "\(label)")
        }
    }

    static let requiredCases: [(String, ParamDefinition, ParamOverrides, [String])] = [
        ("missing required", typed(.string) { $0.required = true }, .none, [#"param "p" is required"#]),
        ("empty override counts as missing", typed(.string) { $0.required = true }, .text("p="), [#"param "p" is required"#]),
        ("empty required integer", typed(.integer) { $0.required = true }, .text("p=\"\""), [#"param "p" is required"#]),
        ("required satisfied by default", typed(.integer) { $0.required = true; $0.defaultValue = 3 }, .none, []),
        ("required satisfied by override", typed(.string) { $0.required = true }, .text("p=x"), []),
        ("required satisfied by eval", typed(.string) { $0.required = true; $0.eval = "`date`" }, .none, []),
        ("optional without value is fine", typed(.integer), .none, []),
    ]

    @Test("required params", arguments: requiredCases)
    func requiredParams(label: String, definition: ParamDefinition, overrides: ParamOverrides, errors: [String]) {
        switch ParamResolver.resolve([definition], overrides: overrides) {
        case .success:
            #expect(errors.isEmpty, "\(label)")
        case .failure(let failure):
            #expect(failure.messages == errors, "\(label)")
        }
    }

    @Test func defaultsAreCoercedAndValidatedToo() throws {
        let definitions = [
            ParamDefinition(name: "size", type: .integer, defaultValue: "25", isTyped: true),
            ParamDefinition(name: "debug", type: .boolean, defaultValue: "TRUE", isTyped: true),
        ]
        let resolved = try ParamResolver.resolve(definitions, overrides: .none).get()
        #expect(resolved.items.map(\.value) == [.integer(25), .bool(true)])
        let broken = [ParamDefinition(name: "size", type: .integer, defaultValue: 0, minimum: 1, isTyped: true)]
        #expect(resolvedParamLines(broken, .none) == [#"error: param "size": value 0 is less than minimum 1"#])
    }

    @Test func collectsAllErrorsAcrossParams() {
        let definitions = [
            ParamDefinition(name: "environment", type: .string, enumValues: ["staging", "production"], isTyped: true),
            ParamDefinition(name: "batch_size", type: .integer, defaultValue: 25, minimum: 1, isTyped: true),
            ParamDefinition(name: "ratio", type: .number, isTyped: true),
            ParamDefinition(name: "token", type: .string, required: true, isTyped: true),
        ]
        let lines = resolvedParamLines(definitions, .text("x environment=dev batch_size=abc ratio=0 nope=1"))
        #expect(lines == [
            #"error: unknown param "nope" (known params: environment, batch_size, ratio, token)"#,
            #"error: param "environment": value "dev" is not one of [staging, production]"#,
            #"error: param "batch_size": "abc" is not an integer"#,
            #"error: param "token" is required"#,
        ])
    }

    @Test func evalDefaultIsLeftForTheEngine() throws {
        let definitions = [
            ParamDefinition(name: "day", type: .string, eval: "`date +%F`", isTyped: true),
            ParamDefinition(name: "n", type: .integer, eval: "`echo 3`", isTyped: true),
        ]
        let resolved = try ParamResolver.resolve(definitions, overrides: .text("n=4")).get()
        #expect(resolved.items[0] == ResolvedParam(name: "day", value: .string("`date +%F`"), needsEval: true))
        #expect(resolved.items[0].rendered == "`date +%F`")
        #expect(resolved.items[1] == ResolvedParam(name: "n", value: .integer(4)))
    }

    @Test func validatorIsUsableOnItsOwn() {
        let definition = ParamDefinition(name: "n", type: .integer, maximum: 9, isTyped: true)
        #expect(ParamValidator.validate("8", for: definition, param: "n") == .success(.integer(8)))
        #expect(ParamValidator.validate("10", for: definition, param: "n")
            == .failure(ParamErrors([ParamError(param: "n", message: #"param "n": value 10 is greater than maximum 9"#)])))
    }
}
