import Testing
@testable import TrellisCore

@Suite("Substitution: full mode")
struct SubstitutionFullModeTests {
    static let references: [SubstitutionCase] = [
        .init("hello", "hello"),
        .init("", ""),
        .init("$A", "alpha"),
        .init("${A}", "alpha"),
        .init("x${A}y", "xalphay"),
        .init("$A-$NAME/$DAG_NAME", "alpha-world/demo"),
        .init("$Ab", "$Ab"),
        .init("$UNDEF and ${UNDEF}", "$UNDEF and ${UNDEF}"),
        .init("$HOSTONLY:$HOME", "h:/home/u"),
        .init("$P", "step"),
        .init("$_A1 $a", "$_A1 $a"),
        .init("$EMPTY|", "|"),
        .init("$DOLLAR", "$A \\$B"),
        .init("$TICK", "`rm -rf x`"),
        .init("$CFG.db", SubstitutionFixture.config + ".db"),
    ]

    static let dollarEdges: [SubstitutionCase] = [
        .init("$$", "$$"),
        .init("$$A", "$$A"),
        .init("cost $", "cost $"),
        .init("$ A", "$ A"),
        .init("$-x $@ $* $#", "$-x $@ $* $#"),
        .init("${A", "${A"),
        .init("${A $NAME", "${A world"),
        .init("${}", "${}"),
        .init("${ A}", "${ A}"),
        .init("${A:+set} ${A-x} ${!A} ${A%a}", "${A:+set} ${A-x} ${!A} ${A%a}"),
        .init("${A:+$NAME}", "${A:+world}"),
        .init("${A:x}", "${A:x}"),
        .init("${A:} ${CFG.db.port:}", "${A:} ${CFG.db.port:}"),
        .init("$1 $2", "first second"),
        .init("$10", "first0"),
        .init("${10}", "tenth"),
        .init("${01} $0 ${0}", "${01} $0 ${0}"),
        .init("${3}", "${3}"),
    ]

    static let jsonPaths: [SubstitutionCase] = [
        .init("${CFG.db.hosts[0]}", "h1"),
        .init("${CFG.db.hosts.[1]}", "h2"),
        .init("${CFG.db.hosts[-1]}", "h2"),
        .init("${CFG.db.hosts[2]}", "${CFG.db.hosts[2]}"),
        .init("${CFG.db.hosts[-3]}", "${CFG.db.hosts[-3]}"),
        .init("${CFG.db.missing}", "${CFG.db.missing}"),
        .init("${CFG.db.port}", "5432"),
        .init("${CFG.db.opts}", "null"),
        .init("${CFG.db.hosts}", #"["h1","h2"]"#),
        .init(#"${CFG.db["a}b"]}"#, "brace"),
        .init(#"${CFG.tags["x y"]}"#, "1"),
        .init("${CFG.db.port.x}", "${CFG.db.port.x}"),
        .init("${CFG.db.hosts.x}", "${CFG.db.hosts.x}"),
        .init("${CFG.}", "${CFG.}"),
        .init("${A.b}", "${A.b}"),
        .init("${UNDEF.b}", "${UNDEF.b}"),
        .init("${R.outputs.resultUrl}", "https://x/y"),
        .init("${R.outputs.count}!", "3!"),
        .init("${R.status}", "succeeded"),
        .init("${ITEM}", SubstitutionFixture.item),
        .init("${ITEM.key}-${ITEM.n}", "k1-2"),
        .init("${HOSTJSON.k}", "v"),
    ]

    static let stepReferences: [SubstitutionCase] = [
        .init("${build.stdout}", "/logs/build.out"),
        .init("${build.stderr}", "/logs/build.err"),
        .init("${build.exit_code} ${build.exitCode}", "0 0"),
        .init("${build.stdout:1:4}", "logs"),
        .init("${pending.exit_code}", "${pending.exit_code}"),
        .init("${nostep.stdout}", "${nostep.stdout}"),
        .init("${build.other}", "${build.other}"),
    ]

    static let slicesAndPOSIX: [SubstitutionCase] = [
        .init("${A:0:3}", "alp"),
        .init("${A:2}", "pha"),
        .init("${A: -2}", "ha"),
        .init("${A:(-3):2}", "ph"),
        .init("${A:1:-1}", "lph"),
        .init("${A:10}", ""),
        .init("${A: -10}", ""),
        .init("${A:3:-3}", ""),
        .init("${A::2}", "al"),
        .init("${UNI:0:3}", "日本語"),
        .init("${UNI:3}", "テキスト"),
        .init("${FLAG:0:2}", "🇯🇵"),
        .init("${R.outputs.resultUrl:0:5}", "https"),
        .init("${UNDEF:0:2}", "${UNDEF:0:2}"),
        .init("${#A}", "5"),
        .init("${#UNI} ${#FLAG}", "7 4"),
        .init("${#UNDEF}", "${#UNDEF}"),
        .init("${#}", "${#}"),
        .init("${#10}", "5"),
        .init("${A:-x}", "alpha"),
        .init("${EMPTY:-x}", "x"),
        .init("${UNDEF:-x}", "x"),
        .init("${UNDEF:-}", ""),
        .init("${UNDEF:-$NAME}", "world"),
        .init("${UNDEF:-${A}-${UNDEF2:-d}}", "alpha-d"),
        .init("${UNDEF:-$OTHER_UNDEF}", "$OTHER_UNDEF"),
        .init("${UNDEF:-a}b}", "ab}"),
        .init("${UNDEF:-\\$A}", "$A"),
    ]

    static let escapesAndQuotes: [SubstitutionCase] = [
        .init("\\$A", "$A"),
        .init("\\${A}", "${A}"),
        .init("\\\\$A", "\\\\alpha"),
        .init("C:\\dir\\$A", "C:\\dir$A"),
        .init("trailing \\", "trailing \\"),
        .init("'$A'", "'$A'"),
        .init("'${A}' '${A:-x}' '${#A}'", "'${A}' '${A:-x}' '${#A}'"),
        .init("it's $A's", "it's alpha's"),
        .init("'a $A'", "'a alpha'"),
        .init("'${CFG.db.port}'", "'5432'"),
        .init("'$A", "'alpha"),
    ]

    @Test("references", arguments: references)
    func referencesTable(_ row: SubstitutionCase) async throws {
        try await expectFull(row)
    }

    @Test("dollar edge cases and positional parameters", arguments: dollarEdges)
    func dollarEdgesTable(_ row: SubstitutionCase) async throws {
        try await expectFull(row)
    }

    @Test("JSON paths and output variables", arguments: jsonPaths)
    func jsonPathsTable(_ row: SubstitutionCase) async throws {
        try await expectFull(row)
    }

    @Test("step references", arguments: stepReferences)
    func stepReferencesTable(_ row: SubstitutionCase) async throws {
        try await expectFull(row)
    }

    @Test("slices and POSIX forms", arguments: slicesAndPOSIX)
    func slicesAndPOSIXTable(_ row: SubstitutionCase) async throws {
        try await expectFull(row)
    }

    @Test("escapes and single quotes", arguments: escapesAndQuotes)
    func escapesAndQuotesTable(_ row: SubstitutionCase) async throws {
        try await expectFull(row)
    }

    @Test func stepReferenceWinsOverVariableOfTheSameName() async throws {
        let scope = SubstitutionFixture.scope.adding(.outputs, [("build", #"{"stdout":"json","x":1}"#)])
        let (stdout, _) = try await SubstitutionFixture.run("${build.stdout}", mode: .full, scope: scope)
        let (other, _) = try await SubstitutionFixture.run("${build.x}", mode: .full, scope: scope)
        #expect(stdout == "/logs/build.out")
        #expect(other == "1")
    }

    private func expectFull(_ row: SubstitutionCase) async throws {
        let (result, calls) = try await SubstitutionFixture.run(row.input, mode: .full)
        #expect(result == row.expected)
        #expect(calls.isEmpty)
    }
}
