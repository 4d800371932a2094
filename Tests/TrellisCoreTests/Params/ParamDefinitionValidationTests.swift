import Testing
@testable import TrellisCore

@Suite("Param definition validation")
struct ParamDefinitionValidationTests {
    private static func def(
        _ type: ParamType?, _ configure: (inout ParamDefinition) -> Void = { _ in }
    ) -> ParamDefinition {
        var definition = ParamDefinition(name: "p", type: type, isTyped: true)
        configure(&definition)
        return definition
    }

    static let cases: [(String, ParamDefinition, [String])] = [
        ("sound typed definition",
         def(.integer) { $0.defaultValue = 25; $0.minimum = 1; $0.maximum = 100; $0.multipleOf = 5 }, []),
        ("sound string definition",
         def(.string) { $0.defaultValue = "staging"; $0.enumValues = ["staging", "production"]; $0.pattern = "^[a-z]+$" }, []),
        ("plain param", ParamDefinition.plain(name: "A", value: "1"), []),
        ("positional plain param", ParamDefinition.plain(value: "x"), []),
        ("invalid pattern", def(.string) { $0.pattern = "(unclosed" },
         [#"pattern "(unclosed" is not a valid regular expression"#]),
        ("invalid pattern reported once with a default", def(.string) { $0.pattern = "["; $0.defaultValue = "x" },
         [#"pattern "[" is not a valid regular expression"#]),
        ("minimum above maximum", def(.number) { $0.minimum = 5; $0.maximum = 1 }, ["minimum 5 is greater than maximum 1"]),
        ("exclusive bounds leave no room", def(.integer) { $0.exclusiveMinimum = 3; $0.exclusiveMaximum = 3 },
         ["no value fits between the lower bound 3 and the upper bound 3"]),
        ("min_length above max_length", def(.string) { $0.minLength = 4; $0.maxLength = 2 },
         ["min_length 4 is greater than max_length 2"]),
        ("negative length", def(.string) { $0.minLength = -1 }, ["min_length must not be negative, not -1"]),
        ("multipleOf zero", def(.integer) { $0.multipleOf = 0 }, ["multipleOf must be greater than 0, not 0"]),
        ("numeric constraint on a string", def(.string) { $0.minimum = 1 },
         ["minimum/maximum/exclusiveMinimum/exclusiveMaximum/multipleOf apply only to integer or number params, not string"]),
        ("numeric constraint without type", def(nil) { $0.maximum = 1 },
         ["minimum/maximum/exclusiveMinimum/exclusiveMaximum/multipleOf apply only to integer or number params, not string"]),
        ("text constraint on a boolean", def(.boolean) { $0.pattern = "x" },
         ["min_length/max_length/pattern apply only to string params, not boolean"]),
        ("enum values of the wrong type", def(.integer) { $0.enumValues = [1, "two", 3.5] },
         [#"enum value "two" is not an integer"#, "enum value 3.5 is not an integer"]),
        ("enum values that coerce are fine", def(.integer) { $0.enumValues = ["1", 2] }, []),
        ("empty enum", def(.string) { $0.enumValues = [] }, ["enum must list at least one value"]),
        ("non-scalar enum value", def(.string) { $0.enumValues = [["a"], .null] },
         [#"enum value ["a"] is not a scalar"#, "enum value null is not a scalar"]),
        ("default of the wrong type", def(.integer) { $0.defaultValue = "abc" }, [#"default: "abc" is not an integer"#]),
        ("default outside the enum", def(.string) { $0.defaultValue = "dev"; $0.enumValues = ["prod"] },
         [#"default: value "dev" is not one of [prod]"#]),
        ("default below minimum", def(.integer) { $0.defaultValue = 0; $0.minimum = 1 },
         ["default: value 0 is less than minimum 1"]),
        ("default too long and off pattern", def(.string) { $0.defaultValue = "abcd"; $0.maxLength = 3; $0.pattern = "^z" },
         [#"default: value "abcd" is longer than maximum length 3"#, #"default: value "abcd" does not match pattern "^z""#]),
        ("default not a scalar", def(.string) { $0.defaultValue = ["a": 1] }, [#"default {"a":1} is not a scalar"#]),
        ("default and eval together", def(.string) { $0.defaultValue = "x"; $0.eval = "`date`" },
         ["defines both default and eval; keep one"]),
        ("names are left to the loader", ParamDefinition(name: "2", defaultValue: "x"), []),
    ]

    @Test("reports problems with a definition", arguments: cases)
    func reportsProblems(label: String, definition: ParamDefinition, expected: [String]) {
        let prefix = definition.name.map { "param \"\($0)\": " } ?? ""
        #expect(definition.validateDefinition() == expected.map { prefix + $0 }, "\(label)")
    }

    @Test func messagesNameTheParam() {
        let definition = ParamDefinition(name: "batch_size", type: .integer, defaultValue: 0, minimum: 1, isTyped: true)
        #expect(definition.validateDefinition() == [#"param "batch_size": default: value 0 is less than minimum 1"#])
        #expect(ParamDefinition(name: nil, type: .integer, defaultValue: "x").validateDefinition()
            == [#"default: "x" is not an integer"#])
    }

    @Test func listValidationPrefixesNamesAndFindsDuplicates() {
        let definitions = [
            ParamDefinition.plain(name: "A", value: "1"),
            ParamDefinition(name: nil, type: .integer, defaultValue: "x", isTyped: true),
            ParamDefinition.plain(name: "A", value: "2"),
            ParamDefinition.plain(name: "A", value: "3"),
        ]
        #expect(ParamDefinition.validateDefinitions(definitions) == [
            #"param "2": default: "x" is not an integer"#,
            #"duplicate param name "A""#,
        ])
    }
}
