import Testing
@testable import TrellisCore

@Suite("Substitution: backtick commands")
struct SubstitutionBacktickTests {
    /// Input, expected output, and the commands the runner must have seen, in order.
    static let cases: [(String, String, [String])] = [
        ("`date`", "out(date)", ["date"]),
        ("a`date`b`whoami`c", "aout(date)bout(whoami)c", ["date", "whoami"]),
        ("x`echo $A ${CFG.db.port}`y", "xout(echo alpha 5432)y", ["echo alpha 5432"]),
        ("`echo $HOSTONLY $UNDEF`", "out(echo h $UNDEF)", ["echo h $UNDEF"]),
        ("`echo \\$HOME ${UNDEF:-d} ${#A}`", "out(echo \\$HOME ${UNDEF:-d} ${#A})", ["echo \\$HOME ${UNDEF:-d} ${#A}"]),
        ("`echo \\`inner\\``", "out(echo \\`inner\\`)", ["echo \\`inner\\`"]),
        ("\\`date\\`", "`date`", []),
        ("'`date`'", "'`date`'", []),
        ("it's `date` now", "it's out(date) now", ["date"]),
        ("`unterminated", "`unterminated", []),
        ("`` and ` `", "`` and ` `", []),
        ("$TICK", "`rm -rf x`", []),
        ("${A:-`date`}", "alpha", []),
        ("${UNDEF:-`date`}", "out(date)", ["date"]),
        ("`date` `date`", "out(date) out(date)", ["date", "date"]),
    ]

    @Test("run through the injected runner, output trimmed", arguments: cases)
    func backticks(input: String, expected: String, commands: [String]) async throws {
        let (result, calls) = try await SubstitutionFixture.run(input, mode: .full)
        #expect(result == expected)
        #expect(calls == commands)
    }

    @Test("output is inserted literally, never scanned again")
    func outputIsNotRescanned() async throws {
        let runner = FakeCommandRunner(outputs: ["emit": " $A `nested` \\$B\n"])
        let (result, calls) = try await SubstitutionFixture.run("[`emit`]", mode: .full, runner: runner)
        #expect(result == "[$A `nested` \\$B]")
        #expect(calls == ["emit"])
    }

    @Test("a failing command is an error naming it")
    func failureNamesCommand() async throws {
        let runner = FakeCommandRunner(failing: ["false"])
        let error = await #expect(throws: SubstitutionError.self) {
            try await SubstitutionFixture.run("before `false` after `date`", mode: .full, runner: runner)
        }
        #expect(error?.code == .commandFailed)
        #expect(error?.command == "false")
        #expect(error?.cause is FakeCommandRunner.Failure)
        #expect(error?.message == "command substitution `false` failed: exit status 1")
        #expect(await runner.calls == ["false"])
    }

    @Test("the error names the command after its references were substituted")
    func failureShowsSubstitutedCommand() async throws {
        let runner = FakeCommandRunner(failing: ["cat /logs/build.out"])
        let error = await #expect(throws: SubstitutionError.self) {
            try await SubstitutionFixture.run("`cat ${build.stdout}`", mode: .full, runner: runner)
        }
        #expect(error?.command == "cat /logs/build.out")
    }

    @Test("without a runner a backtick is an error in full mode")
    func noRunner() async throws {
        let substitutor = Substitutor(scope: SubstitutionFixture.scope)
        let error = await #expect(throws: SubstitutionError.self) {
            try await substitutor.substitute("`date`", mode: .full)
        }
        #expect(error?.code == .commandUnavailable)
        #expect(error?.description == "command substitution `date` is not available here")
        #expect(try await substitutor.substitute("$A \\`date\\`", mode: .full) == "alpha `date`")
    }

    @Test("naming a field keeps the innermost field")
    func naming() {
        let error = SubstitutionError(code: .commandFailed, command: "x").naming(field: "env A").naming(field: "step s")
        #expect(error.field == "env A")
        #expect(error.message == "env A: command substitution `x` failed")
    }
}
