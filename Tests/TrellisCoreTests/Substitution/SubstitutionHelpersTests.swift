import Testing
@testable import TrellisCore

@Suite("Substitution: output keys, host environment, slices, parser")
struct SubstitutionHelpersTests {
    @Test("SCREAMING_SNAKE to camelCase", arguments: [
        ("RESULT_URL", "resultUrl"), ("A", "a"), ("ALREADY_camel", "alreadyCamel"), ("resultUrl", "resulturl"),
        ("_X__Y_", "xY"), ("VAR_2", "var2"), ("MY_HTTP_URL", "myHttpUrl"), ("", ""), ("___", ""),
        ("ÉTÉ_CHAUD", "étéChaud"),
    ])
    func camelCase(name: String, key: String) {
        #expect(OutputKeys.camelCase(name) == key)
    }

    @Test func hostEnvironmentFilter() {
        let env = [
            "PATH": "/bin", "HOME": "/h", "USER": "u", "SHELL": "/bin/sh", "TMPDIR": "/t", "TERM": "x",
            "LANG": "C", "LC_ALL": "C", "LC_CTYPE": "C", "TZ": "UTC", "LD_LIBRARY_PATH": "/l",
            "XDG_CONFIG_HOME": "/c", "TRELLIS_HOME": "/th", "DAG_X": "d", "DAGU_HOME": "/dh", "LC_NUMERIC": "C",
            "AWS_SECRET_ACCESS_KEY": "s", "PATHX": "no", "TRELLISX": "no", "XDG": "no", "MY_VAR": "m", "OTHER": "o",
            "TRELLIS_AUTH_TOKEN": "secret", "TRELLIS_AUTH_BASIC_PASSWORD": "secret", "TRELLIS_AUTH_MODE": "token",
        ]
        let passed = HostEnvironmentFilter.filter(env, passthrough: ["MY_VAR", "NOT_SET"])
        #expect(passed.map(\.0) == [
            "DAGU_HOME", "DAG_X", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LD_LIBRARY_PATH", "MY_VAR",
            "PATH", "SHELL", "TERM", "TMPDIR", "TRELLIS_HOME", "TZ", "USER", "XDG_CONFIG_HOME",
        ])
        #expect(passed.first { $0.0 == "MY_VAR" }?.1 == "m")
        #expect(HostEnvironmentFilter.filter(env, passthrough: []).contains { $0.0 == "MY_VAR" } == false)
        // The API's credentials never reach a step unless listed on purpose.
        #expect(!passed.contains { $0.0.hasPrefix("TRELLIS_AUTH_") })
        #expect(HostEnvironmentFilter.filter(env, passthrough: ["TRELLIS_AUTH_MODE"]).contains { $0.0 == "TRELLIS_AUTH_MODE" })
    }

    @Test("bash slice semantics in Unicode scalars", arguments: [
        (0, 3 as Int?, "alp"), (2, nil, "pha"), (-2, nil, "ha"), (1, -1, "lph"), (5, nil, ""), (6, nil, ""),
        (-5, nil, "alpha"), (-6, nil, ""), (3, -3, ""), (0, 0, ""), (4, 100, "a"),
    ])
    func slices(offset: Int, length: Int?, expected: String) {
        #expect(ValueSlice(offset: offset, length: length).apply(to: "alpha") == expected)
    }

    @Test("slice expressions", arguments: [
        ("1", ValueSlice(offset: 1, length: nil) as ValueSlice?), ("1:2", ValueSlice(offset: 1, length: 2)),
        (" -2", ValueSlice(offset: -2, length: nil)), ("(-2):1", ValueSlice(offset: -2, length: 1)),
        (":3", ValueSlice(offset: 0, length: 3)), ("1:", ValueSlice(offset: 1, length: 0)),
        ("x", nil), ("1:2:3", nil), ("1:y", nil),
    ])
    func sliceExpressions(text: String, slice: ValueSlice?) {
        #expect(ValueSlice.parse(ArraySlice(text.unicodeScalars)) == slice)
    }

    @Test func parserTokens() {
        #expect(SubstitutionParser.parse("a$10b", full: true) == [
            .literal("a"), .reference(VariableReference(name: "1", original: "$1")), .literal("0b"),
        ])
        #expect(SubstitutionParser.parse("${CFG.a[0][\"k\"]:1}", full: true) == [
            .reference(VariableReference(
                name: "CFG", path: [.key("a"), .index(0), .key("k")], slice: ValueSlice(offset: 1, length: nil),
                original: "${CFG.a[0][\"k\"]:1}"
            )),
        ])
        #expect(SubstitutionParser.parse("`x`", full: false) == [.literal("`x`")])
        #expect(SubstitutionParser.parse("\\$A", full: false) == [.literal("\\$A")])
        #expect(SubstitutionParser.parse("\\$A", full: true) == [.literal("$A")])
    }
}
