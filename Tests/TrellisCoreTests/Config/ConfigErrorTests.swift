import Testing
@testable import TrellisCore

@Suite("Config: errors name the key, the source and the line")
struct ConfigErrorTests {
    typealias Support = ConfigTestSupport

    @Test("an unknown key is an error with a suggestion and the file line")
    func unknownKeyWithSuggestion() {
        let errors = Support.errors("host: 0.0.0.0\n# a comment\nprot: 8081\n")
        #expect(errors == ["trellis.yaml:3: unknown key \"prot\"; did you mean \"port\"?"])
    }

    /// `(file text, the one expected error)`.
    static let fileErrors: [(String, String)] = [
        // Unknown keys, at every level.
        ("zzzzzzzz: 1", "trellis.yaml:1: unknown key \"zzzzzzzz\""),
        ("dag_dir: x", "trellis.yaml:1: unknown key \"dag_dir\"; did you mean \"dags_dir\"?"),
        ("logLevell: info", "trellis.yaml:1: unknown key \"logLevell\"; did you mean \"log_level\"?"),
        ("auth:\n  mod: basic", "trellis.yaml:2: auth: unknown key \"mod\"; did you mean \"mode\"?"),
        ("auth:\n  basic:\n    usrname: a", "trellis.yaml:3: auth.basic: unknown key \"usrname\"; did you mean \"username\"?"),
        ("queues:\n  - name: q\n    max_concurency: 2", "trellis.yaml:3: queues[0]: unknown key \"max_concurency\"; did you mean \"max_concurrency\"?"),
        ("events:\n  enable: false", "trellis.yaml:2: events: unknown key \"enable\"; did you mean \"enabled\"?"),
        ("dags_dir: a\ndagsDir: b", "trellis.yaml:2: both \"dags_dir\" and \"dagsDir\" are set; they are the same key \"dags_dir\", keep one"),
        // The document.
        ("- port: 1", "trellis.yaml:1: must be a map, found a list"),
        ("port: [1, 2\nhost: x", "trellis.yaml:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
        ("port: 1\n---\nport: 2", "trellis.yaml:3: a config file holds one YAML document; remove the second (---)"),
        // Types and ranges.
        ("port: http", "trellis.yaml:1: port: must be an integer, found \"http\""),
        ("port: \"8080\"", "trellis.yaml:1: port: must be an integer, found \"8080\""),
        ("port: 0", "trellis.yaml:1: port: must be between 1 and 65535, found 0"),
        ("port: -80", "trellis.yaml:1: port: must be between 1 and 65535, found -80"),
        ("port: 65536", "trellis.yaml:1: port: must be between 1 and 65535, found 65536"),
        ("port: [80]", "trellis.yaml:1: port: must be an integer, found a list"),
        ("idle_timeout_sec: -1", "trellis.yaml:1: idle_timeout_sec: must be between 0 (no timeout) and 86400 seconds, found -1"),
        ("idle_timeout_sec: 1m", "trellis.yaml:1: idle_timeout_sec: must be an integer, found \"1m\""),
        ("host: \"\"", "trellis.yaml:1: host: must not be empty"),
        ("host: {a: b}", "trellis.yaml:1: host: must be a string, found a map"),
        ("home: \" \"", "trellis.yaml:1: home: must not be empty"),
        ("dags_dir: \"\"", "trellis.yaml:1: dags_dir: must not be empty"),
        ("data_dir: [a]", "trellis.yaml:1: data_dir: must be a string, found a list"),
        ("docs_dir: \"\"", "trellis.yaml:1: docs_dir: must not be empty"),
        ("base_path: [a]", "trellis.yaml:1: base_path: must be a string, found a list"),
        ("api_base_path: {a: 1}", "trellis.yaml:1: api_base_path: must be a string, found a map"),
        ("tz: Mars/Olympus_Mons", "trellis.yaml:1: tz: unknown time zone \"Mars/Olympus_Mons\"; use an IANA name such as \"UTC\" or \"Europe/Berlin\""),
        ("auth: basic", "trellis.yaml:1: auth: must be a map, found a scalar"),
        ("auth:\n  mode: oauth", "trellis.yaml:2: auth.mode: unknown auth mode \"oauth\"; use none, basic or token (alias bearer)"),
        ("auth:\n  basic: [a]", "trellis.yaml:2: auth.basic: must be a map, found a list"),
        ("auth:\n  basic:\n    username: [a]", "trellis.yaml:3: auth.basic.username: must be a string, found a list"),
        ("auth:\n  tokens: {a: b}", "trellis.yaml:2: auth.tokens: must be a string or a list of strings, found a map"),
        ("auth:\n  tokens:\n    - [x]", "trellis.yaml:3: auth.tokens[0]: must be a string, found a list"),
        ("metrics: open", "trellis.yaml:1: metrics: must be \"private\" or \"public\", found \"open\""),
        ("log_level: verbose", "trellis.yaml:1: log_level: unknown log level \"verbose\"; use trace, debug, info, notice, warning, error or critical"),
        ("queues: batch", "trellis.yaml:1: queues: must be a list of {name, max_concurrency}, found a scalar"),
        ("queues:\n  - batch", "trellis.yaml:2: queues[0]: must be a map, found a scalar"),
        ("queues:\n  - max_concurrency: 2", "trellis.yaml:2: queues[0]: needs a \"name\""),
        ("queues:\n  - name: ~", "trellis.yaml:2: queues[0]: needs a \"name\""),
        ("queues:\n  - name: bad name", "trellis.yaml:2: queues[0].name: queue name \"bad name\" is invalid: use 1-40 characters of letters, digits, \"_\", \".\" and \"-\""),
        ("queues:\n  - name: q\n    max_concurrency: 0", "trellis.yaml:3: queues[0].max_concurrency: must be at least 1, found 0"),
        ("queues:\n  - name: q\n    max_concurrency: many", "trellis.yaml:3: queues[0].max_concurrency: must be an integer, found \"many\""),
        ("queues:\n  - name: q\n  - name: r\n  - name: q", "trellis.yaml:4: queues[2].name: queue \"q\" is declared twice (lines 2 and 4)"),
        ("events: on", "trellis.yaml:1: events: must be a map, found a scalar"),
        ("events:\n  enabled: maybe", "trellis.yaml:2: events.enabled: must be true or false, found \"maybe\""),
        ("events:\n  retention_days: 0", "trellis.yaml:2: events.retention_days: must be at least 1, found 0"),
        ("default_shell: \"\"", "trellis.yaml:1: default_shell: must name a shell, such as \"/bin/bash\" or [\"bash\", \"-e\"]"),
        ("default_shell: []", "trellis.yaml:1: default_shell: must name a shell, such as \"/bin/bash\" or [\"bash\", \"-e\"]"),
        ("default_shell: {a: b}", "trellis.yaml:1: default_shell: must be a string, found a map"),
        ("env_passthrough: [OK, 1BAD]", "trellis.yaml:1: env_passthrough[1]: \"1BAD\" is not a variable name: use letters, digits and \"_\", not starting with a digit"),
        ("env_passthrough: {a: b}", "trellis.yaml:1: env_passthrough: must be a string or a list of strings, found a map"),
    ]

    @Test("file errors", arguments: fileErrors)
    func fileError(yaml: String, expected: String) {
        #expect(Support.errors(yaml) == [expected])
    }

    /// `(environment, the one expected error)`.
    static let environmentErrors: [([String: String], String)] = [
        (["TRELLIS_PORT": "eighty"], "TRELLIS_PORT (port): must be an integer, found \"eighty\""),
        (["TRELLIS_PORT": "0"], "TRELLIS_PORT (port): must be between 1 and 65535, found 0"),
        (["TRELLIS_PORT": "99999"], "TRELLIS_PORT (port): must be between 1 and 65535, found 99999"),
        (["TRELLIS_HOST": "  "], "TRELLIS_HOST (host): must not be empty"),
        (["TRELLIS_TZ": "Nowhere/City"], "TRELLIS_TZ (tz): unknown time zone \"Nowhere/City\"; use an IANA name such as \"UTC\" or \"Europe/Berlin\""),
        (["TRELLIS_AUTH_MODE": "oauth"], "TRELLIS_AUTH_MODE (auth.mode): unknown auth mode \"oauth\"; use none, basic or token (alias bearer)"),
        (["TRELLIS_IDLE_TIMEOUT_SEC": "86401"],
         "TRELLIS_IDLE_TIMEOUT_SEC (idle_timeout_sec): must be between 0 (no timeout) and 86400 seconds, found 86401"),
        (["TRELLIS_METRICS": "open"], "TRELLIS_METRICS (metrics): must be \"private\" or \"public\", found \"open\""),
        (["TRELLIS_LOG_LEVEL": "loud"], "TRELLIS_LOG_LEVEL (log_level): unknown log level \"loud\"; use trace, debug, info, notice, warning, error or critical"),
        (["TRELLIS_EVENTS_ENABLED": "maybe"], "TRELLIS_EVENTS_ENABLED (events.enabled): must be true or false, found \"maybe\""),
        (["TRELLIS_DEFAULT_SHELL": "  "], "TRELLIS_DEFAULT_SHELL (default_shell): must name a shell, such as \"/bin/bash\" or [\"bash\", \"-e\"]"),
    ]

    @Test("environment variable errors name the variable and the key", arguments: environmentErrors)
    func environmentError(env: [String: String], expected: String) {
        #expect(Support.errors(env: env) == [expected])
    }

    /// `(flags, the one expected error)`.
    static let flagErrors: [(ConfigOverrides, String)] = [
        (ConfigOverrides(port: 0), "--port (port): must be between 1 and 65535, found 0"),
        (ConfigOverrides(port: 70000), "--port (port): must be between 1 and 65535, found 70000"),
        (ConfigOverrides(home: ""), "--home (home): must not be empty"),
        (ConfigOverrides(host: ""), "--host (host): must not be empty"),
        (ConfigOverrides(dagsDir: ""), "--dags (dags_dir): must not be empty"),
        (ConfigOverrides(dataDir: ""), "--data (data_dir): must not be empty"),
        (ConfigOverrides(docsDir: ""), "--docs (docs_dir): must not be empty"),
        (ConfigOverrides(tz: "Nowhere"), "--tz (tz): unknown time zone \"Nowhere\"; use an IANA name such as \"UTC\" or \"Europe/Berlin\""),
        (ConfigOverrides(logLevel: "loud"), "--log-level (log_level): unknown log level \"loud\"; use trace, debug, info, notice, warning, error or critical"),
    ]

    @Test("flag errors name the flag and the key", arguments: flagErrors)
    func flagError(flags: ConfigOverrides, expected: String) {
        #expect(Support.errors(flags: flags) == [expected])
    }

    @Test("every problem is reported at once, file (in line order), then environment, flags and auth")
    func allErrorsAtOnce() throws {
        let yaml = """
        prot: 1
        port: 0
        auth:
          mode: basic
          basic:
            username: admin
        queues:
          - name: q
            max_concurrency: 0
          - name: q
        log_level: loud
        tz: Nowhere
        metrics: open
        events:
          enabled: maybe
          retention_days: -1
        default_shell: []
        env_passthrough: [9]
        """
        let env = ["TRELLIS_PORT": "x", "TRELLIS_METRICS": "secret", "TRELLIS_AUTH_TOKEN": "short"]
        let failure = try #require(Support.failure(yaml, env: env, flags: ConfigOverrides(logLevel: "LOUDER")))
        #expect(failure.errors.map(\.description) == [
            "trellis.yaml:1: unknown key \"prot\"; did you mean \"port\"?",
            "trellis.yaml:2: port: must be between 1 and 65535, found 0",
            "trellis.yaml:9: queues[0].max_concurrency: must be at least 1, found 0",
            "trellis.yaml:10: queues[1].name: queue \"q\" is declared twice (lines 8 and 10)",
            "trellis.yaml:11: log_level: unknown log level \"loud\"; use trace, debug, info, notice, warning, error or critical",
            "trellis.yaml:12: tz: unknown time zone \"Nowhere\"; use an IANA name such as \"UTC\" or \"Europe/Berlin\"",
            "trellis.yaml:13: metrics: must be \"private\" or \"public\", found \"open\"",
            "trellis.yaml:15: events.enabled: must be true or false, found \"maybe\"",
            "trellis.yaml:16: events.retention_days: must be at least 1, found -1",
            "trellis.yaml:17: default_shell: must name a shell, such as \"/bin/bash\" or [\"bash\", \"-e\"]",
            "trellis.yaml:18: env_passthrough[0]: \"9\" is not a variable name: use letters, digits and \"_\", not starting with a digit",
            "TRELLIS_PORT (port): must be an integer, found \"x\"",
            "TRELLIS_METRICS (metrics): must be \"private\" or \"public\", found \"secret\"",
            "--log-level (log_level): unknown log level \"LOUDER\"; use trace, debug, info, notice, warning, error or critical",
            "auth: auth.mode is \"basic\" (in trellis.yaml:4) but auth.basic.password is not set; basic auth needs both a username and a password",
        ])
        #expect(failure.warnings.map(\.description) == [
            "TRELLIS_AUTH_TOKEN (auth.tokens): warning: item 1: a token has 5 characters, fewer than the recommended 16; use a long random token",
        ])
        #expect(failure.description.split(separator: "\n").count == 16)
    }

    @Test("the file name in messages is the path given, else trellis.yaml")
    func fileNameInMessages() {
        let named = ConfigLoader.load(fileText: "prot: 1", filePath: "/etc/trellis/config.yaml", environment: [:], overrides: .none)
        let unnamed = ConfigLoader.load(fileText: "prot: 1", filePath: nil, environment: [:], overrides: .none)
        #expect((try? named.get()) == nil && (try? unnamed.get()) == nil)
        if case .failure(let errors) = named {
            #expect(errors.errors.map(\.description) == ["/etc/trellis/config.yaml:1: unknown key \"prot\"; did you mean \"port\"?"])
            #expect(errors.errors.first?.origin == .file(path: "/etc/trellis/config.yaml", line: 1))
        }
        if case .failure(let errors) = unnamed {
            #expect(errors.errors.map(\.description) == ["trellis.yaml:1: unknown key \"prot\"; did you mean \"port\"?"])
        }
    }

    @Test("problems carry key, origin and severity for callers that render their own way")
    func structuredProblem() throws {
        let failure = try #require(Support.failure("port: 0", env: ["TRELLIS_TZ": "Nowhere"]))
        #expect(failure.errors == [
            ConfigProblem(.error, key: "port", origin: .file(path: "trellis.yaml", line: 1), message: "must be between 1 and 65535, found 0"),
            ConfigProblem(.error, key: "tz", origin: .environment(variable: "TRELLIS_TZ"),
                          message: "unknown time zone \"Nowhere\"; use an IANA name such as \"UTC\" or \"Europe/Berlin\""),
        ])
        #expect(ConfigOrigin.flag(name: "--port").phrase == "from --port")
        #expect(ConfigOrigin.file(path: "t.yaml", line: 3).phrase == "in t.yaml:3")
    }
}
