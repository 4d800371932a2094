import Testing
@testable import TrellisCore

@Suite("Config: auth mode resolution (API §2)")
struct ConfigAuthResolutionTests {
    typealias Support = ConfigTestSupport

    static let token = "0123456789abcdef0123"

    /// Builds the `auth:` block of a file.
    static func file(mode: String? = nil, user: String? = nil, password: String? = nil, tokens: [String] = []) -> String {
        var lines = ["auth:"]
        if let mode { lines.append("  mode: \(mode)") }
        if user != nil || password != nil {
            lines.append("  basic:")
            if let user { lines.append("    username: \(user)") }
            if let password { lines.append("    password: \(password)") }
        }
        if !tokens.isEmpty { lines.append("  tokens: [\(tokens.joined(separator: ", "))]") }
        return lines.count == 1 ? "" : lines.joined(separator: "\n")
    }

    /// `(label, mode, user, password, tokens, resolved mode)`: the settings that start.
    static let accepted: [(String, String?, String?, String?, [String], AuthMode)] = [
        ("nothing set → none", nil, nil, nil, [], .none),
        ("user and password → basic", nil, "admin", "pw", [], .basic),
        ("user, password and tokens → basic", nil, "admin", "pw", [token], .basic),
        ("tokens only → token", nil, nil, nil, [token], .token),
        ("explicit none, nothing else", "none", nil, nil, [], .none),
        ("explicit basic with both", "basic", "admin", "pw", [], .basic),
        ("explicit basic with both and tokens", "basic", "admin", "pw", [token], .basic),
        ("explicit token with tokens", "token", nil, nil, [token], .token),
        ("bearer is token", "bearer", nil, nil, [token], .token),
        ("Basic in any case", "Basic", "admin", "pw", [], .basic),
    ]

    @Test("accepted settings", arguments: accepted)
    func acceptedRow(label: String, mode: String?, user: String?, password: String?, tokens: [String], expected: AuthMode) throws {
        let config = try Support.config(Self.file(mode: mode, user: user, password: password, tokens: tokens))
        #expect(config.auth.mode == expected, "\(label)")
        #expect(config.auth.basicUsername == user && config.auth.basicPassword == password, "\(label)")
        #expect(config.auth.tokens == tokens, "\(label)")
        #expect(config.warnings == [], "\(label)")
    }

    /// `(label, mode, user, password, tokens, the error)`: the settings that refuse to start.
    static let refused: [(String, String?, String?, String?, [String], String)] = [
        ("basic without password", "basic", "admin", nil, [],
         "auth: auth.mode is \"basic\" (in trellis.yaml:2) but auth.basic.password is not set; basic auth needs both a username and a password"),
        ("basic without username", "basic", nil, "pw", [],
         "auth: auth.mode is \"basic\" (in trellis.yaml:2) but auth.basic.username is not set; basic auth needs both a username and a password"),
        ("basic with neither", "basic", nil, nil, [token],
         "auth: auth.mode is \"basic\" (in trellis.yaml:2) but auth.basic.username and auth.basic.password are not set; basic auth needs both a username and a password"),
        ("basic with an empty password", "basic", "admin", "\"\"", [],
         "auth: auth.mode is \"basic\" (in trellis.yaml:2) but auth.basic.password is not set; basic auth needs both a username and a password"),
        ("token without tokens", "token", nil, nil, [],
         "auth: auth.mode is \"token\" (in trellis.yaml:2) but no token is configured; set auth.tokens or TRELLIS_AUTH_TOKEN"),
        ("none with basic credentials", "none", "admin", "pw", [],
         "auth: auth.mode is \"none\" (in trellis.yaml:2) but credentials are configured: auth.basic.username (in trellis.yaml:4), auth.basic.password (in trellis.yaml:5); remove them, or set auth.mode to basic or token"),
        ("none with tokens", "none", nil, nil, [token, "fedcba9876543210"],
         "auth: auth.mode is \"none\" (in trellis.yaml:2) but credentials are configured: 2 tokens (first in trellis.yaml:3); remove them, or set auth.mode to basic or token"),
        ("unset mode, user only (would silently be none)", nil, "admin", nil, [],
         "auth: auth.basic.username is set but auth.basic.password is not (in trellis.yaml:3); set both to turn on basic auth, or remove it (auth would otherwise be off)"),
        ("unset mode, password only", nil, nil, "pw", [],
         "auth: auth.basic.password is set but auth.basic.username is not (in trellis.yaml:3); set both to turn on basic auth, or remove it (auth would otherwise be off)"),
    ]

    @Test("refused settings", arguments: refused)
    func refusedRow(label: String, mode: String?, user: String?, password: String?, tokens: [String], expected: String) {
        #expect(Support.errors(Self.file(mode: mode, user: user, password: password, tokens: tokens)) == [expected], "\(label)")
    }

    @Test("an unknown mode is refused wherever it comes from")
    func unknownMode() {
        #expect(Support.errors("auth: {mode: jwt}") == ["trellis.yaml:1: auth.mode: unknown auth mode \"jwt\"; use none, basic or token (alias bearer)"])
        #expect(Support.errors(env: ["TRELLIS_AUTH_MODE": "jwt"]) == ["TRELLIS_AUTH_MODE (auth.mode): unknown auth mode \"jwt\"; use none, basic or token (alias bearer)"])
    }

    @Test("accepted with a warning")
    func warnings() throws {
        let tokenWithBasic = try Support.config(Self.file(mode: "token", user: "admin", password: "pw", tokens: [Self.token]))
        #expect(tokenWithBasic.auth.mode == .token)
        #expect(tokenWithBasic.warnings.map(\.description) == [
            "warning: auth: auth.mode is \"token\" (in trellis.yaml:2), so auth.basic.username and auth.basic.password are ignored",
        ])
        let halfBasicWithTokens = try Support.config(Self.file(user: "admin", tokens: [Self.token]))
        #expect(halfBasicWithTokens.auth.mode == .token)
        #expect(halfBasicWithTokens.warnings.map(\.description) == [
            "warning: auth: auth.basic.username is set but auth.basic.password is not (in trellis.yaml:3), so basic auth is off and only tokens are accepted",
        ])
    }

    @Test("the environment alone configures auth", arguments: [
        (["TRELLIS_AUTH_BASIC_USERNAME": "u", "TRELLIS_AUTH_BASIC_PASSWORD": "p"], AuthMode.basic),
        (["TRELLIS_AUTH_TOKEN": token], .token),
        (["TRELLIS_AUTH_MODE": "bearer", "TRELLIS_AUTH_TOKEN": token], .token),
        (["TRELLIS_AUTH_MODE": "none"], .none),
    ])
    func environmentOnly(env: [String: String], expected: AuthMode) throws {
        #expect(try Support.config(env: env).auth.mode == expected)
    }

    @Test("the environment's mode is named in refusals")
    func environmentModeNamed() {
        #expect(Support.errors(env: ["TRELLIS_AUTH_MODE": "token"]) == [
            "auth: auth.mode is \"token\" (from TRELLIS_AUTH_MODE) but no token is configured; set auth.tokens or TRELLIS_AUTH_TOKEN",
        ])
        #expect(Support.errors(env: ["TRELLIS_AUTH_MODE": "none", "TRELLIS_AUTH_TOKEN": Self.token]) == [
            "auth: auth.mode is \"none\" (from TRELLIS_AUTH_MODE) but credentials are configured: 1 token (from TRELLIS_AUTH_TOKEN); remove them, or set auth.mode to basic or token",
        ])
    }

    // MARK: - Tokens

    @Test("TRELLIS_AUTH_TOKEN is comma-separated, trimmed, empty items ignored, merged after the file's tokens")
    func tokenMerge() throws {
        let file = "auth:\n  tokens:\n    - file-token-aaaaaaaaaaaa\n    - shared-token-bbbbbbbbbbb\n    - \"  \""
        let env = ["TRELLIS_AUTH_TOKEN": " env-token-cccccccccccccc ,, shared-token-bbbbbbbbbbb,\tenv-token-dddddddddddddd , "]
        let auth = try Support.config(file, env: env).auth
        #expect(auth.mode == .token)
        #expect(auth.tokens == ["file-token-aaaaaaaaaaaa", "shared-token-bbbbbbbbbbb", "env-token-cccccccccccccc", "env-token-dddddddddddddd"])
    }

    @Test("a single token may be written as a string in the file")
    func singleTokenString() throws {
        #expect(try Support.config("auth:\n  tokens: \(Self.token)").auth.tokens == [Self.token])
    }

    @Test("tokens shorter than 16 characters are warnings, never errors, and never show the token")
    func shortTokens() throws {
        let config = try Support.config("auth:\n  tokens:\n    - abc\n    - 0123456789abcdef",
                                        env: ["TRELLIS_AUTH_TOKEN": "0123456789abcdef,fifteen-chars-x"])
        #expect(config.auth.mode == .token)
        #expect(config.auth.tokens.count == 3)
        #expect(config.warnings.map(\.description) == [
            "trellis.yaml:3: warning: auth.tokens: a token has 3 characters, fewer than the recommended 16; use a long random token",
            "TRELLIS_AUTH_TOKEN (auth.tokens): warning: item 2: a token has 15 characters, fewer than the recommended 16; use a long random token",
        ])
        #expect(!config.warnings.description.contains("abc") && !config.warnings.description.contains("fifteen"))
    }

    @Test("with auth off there is no short-token warning: the tokens are refused instead")
    func noWarningWhenRefused() throws {
        let failure = try #require(Support.failure("auth: {mode: none, tokens: [abc]}"))
        #expect(failure.warnings == [])
        #expect(failure.errors.count == 1)
    }

    @Test("no error message contains a password or a token")
    func secretsStayOut() throws {
        let failure = try #require(Support.failure(Self.file(mode: "none", user: "admin", password: "hunter2-password", tokens: [Self.token])))
        #expect(!failure.description.contains("hunter2") && !failure.description.contains(Self.token))
    }
}
