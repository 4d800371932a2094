import Testing
@testable import TrellisCore

/// A command runner that records every command and answers from a table.
actor FakeCommandRunner: CommandSubstituting {
    struct Failure: Error, CustomStringConvertible {
        let command: String
        var description: String { "exit status 1" }
    }

    private let outputs: [String: String]
    private let failing: Set<String>
    private(set) var calls: [String] = []

    /// Answers `outputs[command]`, else `out(<command>)` with surrounding whitespace and a
    /// trailing newline (which the substitutor trims); throws for commands in `failing`.
    init(outputs: [String: String] = [:], failing: Set<String> = []) {
        self.outputs = outputs
        self.failing = failing
    }

    func output(of command: String) async throws -> String {
        calls.append(command)
        if failing.contains(command) { throw Failure(command: command) }
        return outputs[command] ?? "  out(\(command))\n\n"
    }
}

/// One row of a substitution table.
struct SubstitutionCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: String

    init(_ input: String, _ expected: String) {
        self.input = input
        self.expected = expected
    }

    var testDescription: String { "\(input) → \(expected)" }
}

enum SubstitutionFixture {
    static let config = #"{"db":{"hosts":["h1","h2"],"port":5432,"opts":null,"a}b":"brace"},"tags":{"x y":1}}"#
    static let item = #"{"key":"k1","n":2}"#
    static let childOutput = #"{"name":"child","dagRunId":"r1","outputs":{"resultUrl":"https://x/y","count":3},"status":"succeeded"}"#

    /// A scope with a binding in every layer:
    /// host PATH/HOME/HOSTONLY/HOSTJSON, params 1/2/10/NAME/P, DAG env A/EMPTY/CFG/UNI/FLAG/TICK/
    /// DOLLAR, built-ins ITEM/DAG_NAME, outputs R, step env P; steps `build` and `pending`.
    static let scope = SubstitutionScope(
        layers: [
            SubstitutionLayer(source: .stepEnvironment, bindings: [("P", "step")]),
            SubstitutionLayer(source: .hostEnvironment, bindings: [
                ("PATH", "/usr/bin"), ("HOME", "/home/u"), ("HOSTONLY", "h"), ("HOSTJSON", #"{"k":"v"}"#),
                ("P", "host"),
            ]),
            SubstitutionLayer(source: .params, bindings: [
                ("1", "first"), ("2", "second"), ("10", "tenth"), ("NAME", "world"), ("P", "param"),
            ]),
            SubstitutionLayer(source: .dagEnvironment, bindings: [
                ("A", "alpha"), ("EMPTY", ""), ("CFG", config), ("UNI", "日本語テキスト"), ("FLAG", "🇯🇵ab"),
                ("TICK", "`rm -rf x`"), ("DOLLAR", "$A \\$B"),
            ]),
            SubstitutionLayer(source: .builtins, bindings: [("ITEM", item), ("DAG_NAME", "demo")]),
            SubstitutionLayer(source: .outputs, bindings: [("R", childOutput)]),
        ],
        stepReferences: [
            "build": StepReference(stdoutPath: "/logs/build.out", stderrPath: "/logs/build.err", exitCode: 0),
            "pending": StepReference(),
        ]
    )

    /// Substitutes `text` against `scope` with a fresh fake runner; returns the result and the
    /// commands the runner saw.
    static func run(
        _ text: String, mode: SubstitutionMode, scope: SubstitutionScope = scope,
        runner: FakeCommandRunner = FakeCommandRunner()
    ) async throws -> (String, [String]) {
        let substitutor = Substitutor(scope: scope, commands: runner)
        let result = try await substitutor.substitute(text, mode: mode)
        return (result, await runner.calls)
    }
}
