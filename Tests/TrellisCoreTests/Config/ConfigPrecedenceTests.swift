import Testing
@testable import TrellisCore

@Suite("Config: precedence flags > environment > file > defaults (§18)")
struct ConfigPrecedenceTests {
    typealias Support = ConfigTestSupport

    /// A key set by up to three sources, and the value each level of the cascade must produce.
    struct Row: Sendable, CustomTestStringConvertible {
        var key: String
        var file: String
        var env: [String: String]
        var flags: ConfigOverrides?
        var value: @Sendable (TrellisConfig) -> String
        var defaultValue: String
        var fileValue: String
        var envValue: String
        var flagValue: String?
        var testDescription: String { key }
    }

    static let rows: [Row] = [
        Row(key: "home", file: "home: /from-file", env: ["TRELLIS_HOME": "/from-env"], flags: ConfigOverrides(home: "/from-flag"),
            value: { $0.home }, defaultValue: "/cwd", fileValue: "/from-file", envValue: "/from-env", flagValue: "/from-flag"),
        Row(key: "host", file: "host: 10.0.0.1", env: ["TRELLIS_HOST": "10.0.0.2"], flags: ConfigOverrides(host: "10.0.0.3"),
            value: { $0.host }, defaultValue: "127.0.0.1", fileValue: "10.0.0.1", envValue: "10.0.0.2", flagValue: "10.0.0.3"),
        Row(key: "port", file: "port: 1111", env: ["TRELLIS_PORT": "2222"], flags: ConfigOverrides(port: 3333),
            value: { "\($0.port)" }, defaultValue: "8080", fileValue: "1111", envValue: "2222", flagValue: "3333"),
        Row(key: "dags_dir", file: "dags_dir: f", env: ["TRELLIS_DAGS_DIR": "e"], flags: ConfigOverrides(dagsDir: "g"),
            value: { $0.dagsDir }, defaultValue: "/cwd/dags", fileValue: "/cwd/f", envValue: "/cwd/e", flagValue: "/cwd/g"),
        Row(key: "data_dir", file: "data_dir: f", env: ["TRELLIS_DATA_DIR": "e"], flags: ConfigOverrides(dataDir: "g"),
            value: { $0.dataDir }, defaultValue: "/cwd/data", fileValue: "/cwd/f", envValue: "/cwd/e", flagValue: "/cwd/g"),
        Row(key: "docs_dir", file: "docs_dir: f", env: ["TRELLIS_DOCS_DIR": "e"], flags: ConfigOverrides(docsDir: "g"),
            value: { $0.docsDir }, defaultValue: "/cwd/dags/docs", fileValue: "/cwd/f", envValue: "/cwd/e", flagValue: "/cwd/g"),
        Row(key: "base_path", file: "base_path: /f", env: ["TRELLIS_BASE_PATH": "/e"], flags: ConfigOverrides(basePath: "/g"),
            value: { $0.basePath }, defaultValue: "", fileValue: "/f", envValue: "/e", flagValue: "/g"),
        Row(key: "api_base_path", file: "api_base_path: /f", env: ["TRELLIS_API_BASE_PATH": "/e"], flags: ConfigOverrides(apiBasePath: "/g"),
            value: { $0.apiBasePath }, defaultValue: "/api/v1", fileValue: "/f", envValue: "/e", flagValue: "/g"),
        Row(key: "tz", file: "tz: Asia/Tokyo", env: ["TRELLIS_TZ": "America/New_York"], flags: ConfigOverrides(tz: "UTC"),
            value: { $0.tz ?? "system" }, defaultValue: "system", fileValue: "Asia/Tokyo", envValue: "America/New_York", flagValue: "UTC"),
        Row(key: "log_level", file: "log_level: debug", env: ["TRELLIS_LOG_LEVEL": "error"], flags: ConfigOverrides(logLevel: "trace"),
            value: { $0.logLevel.rawValue }, defaultValue: "info", fileValue: "debug", envValue: "error", flagValue: "trace"),
        Row(key: "auth.mode", file: "auth: {mode: basic, basic: {username: u, password: p}}", env: ["TRELLIS_AUTH_MODE": "none"],
            flags: nil, value: { $0.auth.mode.rawValue }, defaultValue: "none", fileValue: "basic", envValue: "none", flagValue: nil),
        Row(key: "metrics", file: "metrics: public", env: ["TRELLIS_METRICS": "private"], flags: nil,
            value: { $0.metrics.rawValue }, defaultValue: "private", fileValue: "public", envValue: "private", flagValue: nil),
        Row(key: "idle_timeout_sec", file: "idle_timeout_sec: 30", env: ["TRELLIS_IDLE_TIMEOUT_SEC": "0"], flags: nil,
            value: { "\($0.idleTimeoutSec)" }, defaultValue: "60", fileValue: "30", envValue: "0", flagValue: nil),
        Row(key: "events.enabled", file: "events: {enabled: false}", env: ["TRELLIS_EVENTS_ENABLED": "true"], flags: nil,
            value: { "\($0.events.enabled)" }, defaultValue: "true", fileValue: "false", envValue: "true", flagValue: nil),
        Row(key: "default_shell", file: "default_shell: [bash, -e]", env: ["TRELLIS_DEFAULT_SHELL": "zsh -e", "SHELL": "/bin/fish"], flags: nil,
            value: { $0.defaultShell.joined(separator: " ") }, defaultValue: "/bin/fish", fileValue: "bash -e", envValue: "zsh -e", flagValue: nil),
    ]

    @Test("each level overrides the ones below it", arguments: rows)
    func cascade(row: Row) throws {
        // default_shell's default comes from $SHELL. For auth.mode the file's credentials make
        // `mode: basic` valid, so the environment's `none` is refused — naming the environment.
        let auxiliary = row.key == "default_shell" ? ["SHELL": "/bin/fish"] : [:]
        let isAuth = row.key == "auth.mode"
        if !isAuth { #expect(row.value(try Support.config(env: auxiliary)) == row.defaultValue) }
        #expect(row.value(try Support.config(row.file, env: auxiliary)) == row.fileValue)
        if isAuth {
            let errors = Support.errors(row.file, env: row.env)
            #expect(errors.count == 1 && errors[0].contains("auth.mode is \"none\" (from TRELLIS_AUTH_MODE)"), "\(errors)")
        } else {
            #expect(row.value(try Support.config(row.file, env: row.env)) == row.envValue)
        }
        if let flags = row.flags, let flagValue = row.flagValue {
            #expect(row.value(try Support.config(row.file, env: row.env, flags: flags)) == flagValue)
            #expect(row.value(try Support.config(flags: flags)) == flagValue)
        }
    }

    @Test("an empty environment variable counts as unset")
    func emptyVariables() throws {
        let env = Dictionary(uniqueKeysWithValues: ConfigSourceReader.variables.values.map { ($0, "") })
        #expect(try Support.config("port: 1234\nlog_level: debug", env: env) == Support.config("port: 1234\nlog_level: debug"))
    }

    @Test("the §18 variable names")
    func variableNames() {
        #expect(Set(ConfigSourceReader.variables.values) == [
            "TRELLIS_HOME", "TRELLIS_HOST", "TRELLIS_PORT", "TRELLIS_DAGS_DIR", "TRELLIS_DATA_DIR", "TRELLIS_DOCS_DIR",
            "TRELLIS_BASE_PATH", "TRELLIS_API_BASE_PATH", "TRELLIS_TZ", "TRELLIS_AUTH_MODE", "TRELLIS_AUTH_BASIC_USERNAME",
            "TRELLIS_AUTH_BASIC_PASSWORD", "TRELLIS_AUTH_TOKEN", "TRELLIS_METRICS", "TRELLIS_IDLE_TIMEOUT_SEC", "TRELLIS_EVENTS_ENABLED",
            "TRELLIS_DEFAULT_SHELL", "TRELLIS_LOG_LEVEL",
        ])
    }

    @Test("TRELLIS_EVENTS_ENABLED spellings", arguments: [
        ("true", true), ("TRUE", true), ("1", true), ("yes", true), ("on", true),
        ("false", false), ("False", false), ("0", false), ("no", false), ("off", false),
    ])
    func eventsEnabled(text: String, expected: Bool) throws {
        #expect(try Support.config("events: {enabled: \(!expected)}", env: ["TRELLIS_EVENTS_ENABLED": text]).events.enabled == expected)
    }

    @Test("basic credentials from the environment override the file's one by one")
    func basicCredentials() throws {
        let file = "auth:\n  basic:\n    username: file-user\n    password: file-pass"
        let auth = try Support.config(file, env: ["TRELLIS_AUTH_BASIC_PASSWORD": "env-pass"]).auth
        #expect(auth == AuthConfig(mode: .basic, basicUsername: "file-user", basicPassword: "env-pass"))
    }

    @Test("a flag wins even when the lower sources are wrong, but their errors are still reported")
    func lowerErrorsStillReported() {
        let errors = Support.errors("port: 0", env: ["TRELLIS_PORT": "x"], flags: ConfigOverrides(port: 8000))
        #expect(errors == [
            "trellis.yaml:1: port: must be between 1 and 65535, found 0",
            "TRELLIS_PORT (port): must be an integer, found \"x\"",
        ])
    }

    @Test("the environment's paths resolve against the flag's home")
    func pathsAgainstHigherHome() throws {
        let config = try Support.config("home: /file-home\ndags_dir: d", env: ["TRELLIS_DATA_DIR": "e"], flags: ConfigOverrides(home: "/flag-home"))
        #expect(config.home == "/flag-home" && config.dagsDir == "/flag-home/d" && config.dataDir == "/flag-home/e")
    }
}
