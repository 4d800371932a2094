import Testing
@testable import TrellisCore

@Suite("Param rendering for the API")
struct ParamRenderingTests {
    static let typedDefinitions = [
        ParamDefinition(name: "environment", type: .string, defaultValue: "staging",
                        enumValues: ["staging", "production"], isTyped: true),
        ParamDefinition(name: "batch_size", type: .integer, defaultValue: 25, description: "Rows per batch",
                        minimum: 1, isTyped: true),
        ParamDefinition(name: "day", eval: "`date +%F`", isTyped: true),
        ParamDefinition(name: "token", type: .string, required: true, minLength: 8, pattern: "^[a-f0-9]+$", isTyped: true),
        ParamDefinition(name: "ratio", type: .number, defaultValue: "0.5", maximum: 1.5, exclusiveMinimum: 0,
                        multipleOf: 0.25, isTyped: true),
        ParamDefinition(name: "dry_run", type: .boolean, defaultValue: false, isTyped: true),
        ParamDefinition.plain(name: "NOTE", value: "two words"),
        ParamDefinition.plain(value: "pos"),
    ]

    static let plainDefinitions = [
        ParamDefinition.plain(name: "A", value: "1"),
        ParamDefinition.plain(name: "B", value: #"say "hi""#),
        ParamDefinition.plain(value: "x y"),
    ]

    @Test func apiParamsListDefaultsInOrder() {
        #expect(ParamRendering.apiParams(Self.typedDefinitions) == [
            "environment=staging", "batch_size=25", "day=`date +%F`", "ratio=0.5", "dry_run=false",
            "NOTE=two words", "pos",
        ])
        #expect(ParamRendering.apiParams(Self.plainDefinitions) == ["A=1", #"B=say "hi""#, "x y"])
        #expect(ParamRendering.apiParams([]) == [])
    }

    @Test func defaultParamsQuoteLikeJSON() {
        #expect(ParamRendering.defaultParams(Self.plainDefinitions) == #"A="1" B="say \"hi\"" "x y""#)
        #expect(ParamRendering.defaultParams(Self.typedDefinitions)
            == #"environment="staging" batch_size="25" day="`date +%F`" ratio="0.5" dry_run="false" NOTE="two words" "pos""#)
        #expect(ParamRendering.defaultParams([]) == "")
    }

    @Test func noSchemaWithoutTypedDefinitions() {
        #expect(ParamRendering.compiledSchema(Self.plainDefinitions) == nil)
        #expect(ParamRendering.compiledSchema([]) == nil)
    }

    @Test func compiledSchemaKeepsOrderAndConstraints() throws {
        let schema = try #require(ParamRendering.compiledSchema(Self.typedDefinitions))
        #expect(schema.serialized() == """
            {"type":"object","properties":{\
            "environment":{"type":"string","default":"staging","enum":["staging","production"]},\
            "batch_size":{"type":"integer","description":"Rows per batch","default":25,"minimum":1},\
            "day":{"type":"string"},\
            "token":{"type":"string","minLength":8,"pattern":"^[a-f0-9]+$"},\
            "ratio":{"type":"number","default":0.5,"maximum":1.5,"exclusiveMinimum":0,"multipleOf":0.25},\
            "dry_run":{"type":"boolean","default":false},\
            "NOTE":{"type":"string","default":"two words"}},\
            "required":["token"]}
            """)
    }

    @Test func compiledSchemaOmitsEmptyRequired() throws {
        let schema = try #require(ParamRendering.compiledSchema([
            ParamDefinition(name: "n", type: .integer, defaultValue: 1, isTyped: true),
        ]))
        #expect(schema["required"] == nil)
        #expect(schema["properties"]?["n"]?["default"] == .integer(1))
    }

    @Test func apiParamDefsFollowTheParamDefShape() {
        let defs = ParamRendering.apiParamDefs(Self.typedDefinitions).map { $0.serialized() }
        #expect(defs == [
            #"{"name":"environment","type":"string","default":"staging","enum":["staging","production"]}"#,
            #"{"name":"batch_size","type":"integer","default":25,"description":"Rows per batch","minimum":1}"#,
            #"{"name":"day","type":"string"}"#,
            #"{"name":"token","type":"string","required":true,"minLength":8,"pattern":"^[a-f0-9]+$"}"#,
            #"{"name":"ratio","type":"number","default":0.5,"maximum":1.5}"#,
            #"{"name":"dry_run","type":"boolean","default":false}"#,
            #"{"name":"NOTE","type":"string","default":"two words"}"#,
            #"{"type":"string","default":"pos"}"#,
        ])
        #expect(ParamRendering.apiParamDefs([]) == [])
    }
}
