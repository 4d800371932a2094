import Testing
@testable import TrellisCore

@Suite("Config: mount path (API §1.1)")
struct ConfigMountPathTests {
    typealias Support = ConfigTestSupport

    /// The §1.1 table, then the normalization rules: `(base_path, api_base_path, mount)`.
    static let table: [(String, String, String)] = [
        ("", "/api/v1", "/api/v1"),
        ("/trellis", "/api/v1", "/trellis/api/v1"),
        ("/trellis", "/rest", "/trellis/rest"),
        // A leading `/` is added, trailing and doubled ones dropped, `/` = no prefix.
        ("trellis", "/api/v1", "/trellis/api/v1"),
        ("/trellis/", "/api/v1", "/trellis/api/v1"),
        ("//a//b//", "/api/v1", "/a/b/api/v1"),
        ("/", "/api/v1", "/api/v1"),
        ("///", "/rest", "/rest"),
        // An empty api_base_path is /api/v1; it is normalized the same way.
        ("", "", "/api/v1"),
        ("/trellis", "", "/trellis/api/v1"),
        ("", "api/v2/", "/api/v2"),
        ("/x", "/api/v2", "/x/api/v2"),
        ("/x", "/", "/x"),
        ("", "/", "/"),
    ]

    @Test("the mount table", arguments: table)
    func mount(basePath: String, apiBasePath: String, expected: String) throws {
        #expect(MountPath.mount(basePath: basePath, apiBasePath: apiBasePath) == expected)
        let yaml = "base_path: \"\(basePath)\"\napi_base_path: \"\(apiBasePath)\""
        let config = try Support.config(yaml)
        #expect(config.mountPath == expected)
        // The stored values are already normalized and give the same mount.
        #expect(MountPath.mount(basePath: config.basePath, apiBasePath: config.apiBasePath) == expected)
    }

    @Test("$VAR and ${VAR} in base_path expand from the environment passed in", arguments: [
        ("$PREFIX", ["PREFIX": "/team"], "/team/api/v1"),
        ("${PREFIX}/trellis", ["PREFIX": "team"], "/team/trellis/api/v1"),
        ("/a/$SUB/b", ["SUB": "x"], "/a/x/b/api/v1"),
        ("$PREFIX", ["PREFIX": "/"], "/api/v1"),
        ("/cost$", [:], "/cost$/api/v1"),
        ("/${not-a-name}", [:], "/${not-a-name}/api/v1"),
        ("/${UNCLOSED", [:], "/${UNCLOSED/api/v1"),
    ])
    func expansion(basePath: String, env: [String: String], expected: String) throws {
        let config = try Support.config("base_path: \"\(basePath)\"", env: env)
        #expect(config.mountPath == expected)
        #expect(config.warnings == [])
    }

    @Test("TRELLIS_BASE_PATH is expanded too")
    func environmentBasePathExpanded() throws {
        let config = try Support.config(env: ["TRELLIS_BASE_PATH": "${ROOT}/t", "ROOT": "/r"])
        #expect(config.basePath == "/r/t" && config.mountPath == "/r/t/api/v1")
    }

    @Test("an unset variable expands to nothing, with a warning")
    func unsetVariable() throws {
        let config = try Support.config("base_path: /$MISSING/trellis")
        #expect(config.mountPath == "/trellis/api/v1")
        #expect(config.warnings.map(\.description) == [
            "trellis.yaml:1: warning: base_path: $MISSING is not set in the environment; it expands to nothing",
        ])
    }

    @Test("api_base_path is not expanded")
    func apiBasePathNotExpanded() throws {
        #expect(try Support.config("api_base_path: /$V", env: ["V": "x"]).apiBasePath == "/$V")
    }

    @Test("expansion rules", arguments: [
        ("plain", "plain", [String]()),
        ("$A$B", "12", []),
        ("${A}x$Bx", "1x", ["Bx"]),
        ("$1", "$1", []),
        ("$", "$", []),
        ("a$_U", "a", ["_U"]),
        ("$C$C", "", ["C"]),
    ])
    func expandRules(text: String, expected: String, unset: [String]) {
        let result = MountPath.expand(text, environment: ["A": "1", "B": "2"])
        #expect(result.text == expected)
        #expect(result.unset == unset)
    }
}
