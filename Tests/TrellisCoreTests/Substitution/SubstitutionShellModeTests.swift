import Testing
@testable import TrellisCore

@Suite("Substitution: command and script modes")
struct SubstitutionShellModeTests {
    static let commandCases: [SubstitutionCase] = [
        .init("echo $A ${A}", "echo alpha alpha"),
        .init("echo $P", "echo step"),
        .init("echo $NAME $DAG_NAME", "echo world demo"),
        .init("echo $HOSTONLY $HOME $PATH", "echo $HOSTONLY $HOME $PATH"),
        .init("echo $UNDEF ${UNDEF}", "echo $UNDEF ${UNDEF}"),
        .init("echo `date` $(date)", "echo `date` $(date)"),
        .init("echo ${A:-x} ${UNDEF:-x}", "echo ${A:-x} ${UNDEF:-x}"),
        .init("echo ${UNDEF:-${A}}", "echo ${UNDEF:-alpha}"),
        .init("echo ${UNDEF:-$HOSTONLY}", "echo ${UNDEF:-$HOSTONLY}"),
        .init("echo ${#A}", "echo ${#A}"),
        .init("echo \\$A \\${A}", "echo \\$A \\${A}"),
        .init("echo \\`date\\`", "echo \\`date\\`"),
        .init("echo ${CFG.db.hosts[1]}", "echo h2"),
        .init("echo ${HOSTJSON.k}", "echo v"),
        .init("echo ${R.outputs.count}", "echo 3"),
        .init("cat ${build.stdout} ${build.stderr}; exit ${build.exit_code}", "cat /logs/build.out /logs/build.err; exit 0"),
        .init("echo '$A' '${A}'", "echo '$A' '${A}'"),
        .init("curl -d '{\"id\": \"${A}\"}'", "curl -d '{\"id\": \"alpha\"}'"),
        .init("echo $1 ${10}", "echo first tenth"),
        .init("echo ${A:0:2} ${HOSTONLY:0:1}", "echo al ${HOSTONLY:0:1}"),
        .init("echo $$ $", "echo $$ $"),
        .init("echo `cat ${build.stdout}`", "echo `cat /logs/build.out`"),
        .init("echo ${ITEM.key}", "echo k1"),
        .init("echo ${A", "echo ${A"),
    ]

    static let scriptCases: [SubstitutionCase] = [
        .init("echo $1 ${2} ${10}", "echo first second tenth"),
        .init("echo $11", "echo first1"),
        .init("echo $A ${A} $NAME ${NAME}", "echo $A ${A} $NAME ${NAME}"),
        .init("echo ${build.exit_code} ${build.stdout}", "echo 0 /logs/build.out"),
        .init("echo ${CFG.db.hosts[0]} ${R.outputs.resultUrl}", "echo h1 https://x/y"),
        .init("echo `date` \\$1", "echo `date` \\$1"),
        .init("echo ${1:-x} ${#1}", "echo ${1:-x} ${#1}"),
        .init("echo ${1:0:3}", "echo fir"),
        .init("echo '$1'", "echo '$1'"),
        .init("echo $3 $0 $HOME", "echo $3 $0 $HOME"),
        .init("for f in \"$@\"; do echo $f; done", "for f in \"$@\"; do echo $f; done"),
    ]

    @Test("command: only what Trellis knows", arguments: commandCases)
    func commandMode(_ row: SubstitutionCase) async throws {
        let (result, calls) = try await SubstitutionFixture.run(row.input, mode: .command)
        #expect(result == row.expected)
        #expect(calls.isEmpty)
    }

    @Test("script: only step and JSON references and positional parameters", arguments: scriptCases)
    func scriptMode(_ row: SubstitutionCase) async throws {
        let (result, calls) = try await SubstitutionFixture.run(row.input, mode: .script)
        #expect(result == row.expected)
        #expect(calls.isEmpty)
    }

    @Test("a host variable becomes known once a Trellis layer binds it")
    func hostVariableShadowedByParam() async throws {
        let scope = SubstitutionFixture.scope.adding(.params, [("HOSTONLY", "param")])
        let (result, _) = try await SubstitutionFixture.run("echo $HOSTONLY", mode: .command, scope: scope)
        #expect(result == "echo param")
    }

    @Test("positional parameters bound only in the host layer stay for the shell")
    func positionalFromHostIsNotSubstituted() async throws {
        let scope = SubstitutionScope(layers: [SubstitutionLayer(source: .hostEnvironment, bindings: [("1", "host")])])
        let (script, _) = try await SubstitutionFixture.run("echo $1", mode: .script, scope: scope)
        let (full, _) = try await SubstitutionFixture.run("echo $1", mode: .full, scope: scope)
        #expect(script == "echo $1")
        #expect(full == "echo host")
    }

    @Test("shell modes never need a command runner", arguments: [SubstitutionMode.command, .script])
    func noRunnerNeeded(mode: SubstitutionMode) async throws {
        let substitutor = Substitutor(scope: SubstitutionFixture.scope)
        #expect(try await substitutor.substitute("x ${build.exit_code} `date`", mode: mode) == "x 0 `date`")
    }
}
