import Foundation
import Testing
@testable import TrellisCore

/// Params as written in a DAG file, through the loader and on to override resolution.
@Suite("Params from DAG files")
struct ParamsLoadingTests {
    private func defs(_ yaml: String) throws -> [ParamDefinition] {
        let result = DAGLoader.load(text: yaml + "\nsteps: [echo]\n", fileName: "p.yaml")
        #expect(result.errors.isEmpty, "\(result.errors)")
        return try #require(result.dag?.params)
    }

    @Test("every shape of §4.1 gives the same ordered names and defaults",
          arguments: [
              "params: A=1 B=\"two words\" pos",
              "params:\n  - A=1\n  - B: two words\n  - pos",
              "params: '{\"A\": \"1\", \"B\": \"two words\"}'",
              "params: {A: 1, B: two words}",
          ])
    func shapes(yaml: String) throws {
        let params = try defs(yaml)
        #expect(Array(params.prefix(2).map(\.name)) == ["A", "B"])
        #expect(params[0].defaultValue == .string("1"))
        #expect(params[1].defaultValue == .string("two words"))
        #expect(ParamRendering.apiParams(Array(params.prefix(2))) == ["A=1", "B=two words"])
    }

    @Test("a map keeps file order (no sorting)")
    func mapOrder() throws {
        let params = try defs("params:\n  ZED: 1\n  ALPHA: 2\n  MID: 3")
        #expect(params.map(\.name) == ["ZED", "ALPHA", "MID"])
    }

    @Test("typed definitions validate and coerce overrides; errors name the param")
    func typed() throws {
        let params = try defs("""
            params:
              - {name: environment, type: string, enum: [staging, production], default: staging}
              - {name: batch_size, type: integer, default: 25, minimum: 1, maximum: 500}
              - {name: dry_run, type: boolean, default: false}
            """)
        let ok = try ParamResolver.resolve(params, overrides: .text("batch_size=50 dry_run=true")).get()
        #expect(ok.items.map(\.value) == [.string("staging"), .integer(50), .bool(true)])
        #expect(ok.environment.map { "\($0.0)=\($0.1)" } == ["environment=staging", "batch_size=50", "dry_run=true"])
        switch ParamResolver.resolve(params, overrides: .text("environment=dev batch_size=0 colour=red")) {
        case .success: Issue.record("invalid overrides were accepted")
        case .failure(let errors):
            let text = errors.description
            #expect(text.contains("environment"))
            #expect(text.contains("batch_size"))
            #expect(text.contains("unknown param \"colour\""))
            #expect(errors.errors.count == 3)
        }
    }

    @Test("an inline JSON Schema gives typed params in property order with required names")
    func inlineSchema() throws {
        let params = try defs("""
            params:
              type: object
              properties:
                region: {type: string, default: eu, pattern: "^[a-z]{2}$", maxLength: 2}
                count: {type: integer, minimum: 1}
              required: [count]
            """)
        #expect(params.map(\.name) == ["region", "count"])
        #expect(params[1].required)
        #expect(params[0].pattern == "^[a-z]{2}$")
        #expect(params[0].maxLength == 2)
        let missing = ParamResolver.resolve(params, overrides: .none)
        #expect((try? missing.get()) == nil)
        let resolved = try ParamResolver.resolve(params, overrides: .json(.object(JSONObject([("count", .string("7"))])))).get()
        #expect(resolved.items[1].value == .integer(7))
    }
}
