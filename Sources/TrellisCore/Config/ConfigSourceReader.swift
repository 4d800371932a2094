/// Reads the environment variables of §18 and the command-line overrides into layers.
///
/// An empty environment variable counts as unset, as in most tools (and so `TRELLIS_PORT=`
/// in a compose file does not break start-up).
struct ConfigSourceReader {
    private(set) var problems: [ConfigProblem] = []

    /// The §18 environment variables, by config key.
    static let variables: [String: String] = [
        "home": "TRELLIS_HOME", "host": "TRELLIS_HOST", "port": "TRELLIS_PORT",
        "dags_dir": "TRELLIS_DAGS_DIR", "data_dir": "TRELLIS_DATA_DIR", "docs_dir": "TRELLIS_DOCS_DIR",
        "base_path": "TRELLIS_BASE_PATH", "api_base_path": "TRELLIS_API_BASE_PATH", "tz": "TRELLIS_TZ",
        "auth.mode": "TRELLIS_AUTH_MODE", "auth.basic.username": "TRELLIS_AUTH_BASIC_USERNAME",
        "auth.basic.password": "TRELLIS_AUTH_BASIC_PASSWORD", "auth.tokens": "TRELLIS_AUTH_TOKEN",
        "metrics": "TRELLIS_METRICS", "events.enabled": "TRELLIS_EVENTS_ENABLED",
        "default_shell": "TRELLIS_DEFAULT_SHELL", "log_level": "TRELLIS_LOG_LEVEL",
        "idle_timeout_sec": "TRELLIS_IDLE_TIMEOUT_SEC",
    ]

    mutating func environmentLayer(_ environment: [String: String]) -> ConfigLayer {
        func value<Value>(_ key: String, _ rule: (String) throws(ConfigValueError) -> Value) -> Sourced<Value>? {
            guard let name = Self.variables[key], let text = environment[name], !text.isEmpty else { return nil }
            return check(key, .environment(variable: name), text, rule)
        }
        var layer = ConfigLayer()
        layer.home = value("home", ConfigValueRules.nonEmpty)
        layer.host = value("host", ConfigValueRules.nonEmpty)
        layer.port = value("port") { text throws(ConfigValueError) in try ConfigValueRules.port(ConfigValueRules.integer(text)) }
        layer.dagsDir = value("dags_dir", ConfigValueRules.nonEmpty)
        layer.dataDir = value("data_dir", ConfigValueRules.nonEmpty)
        layer.docsDir = value("docs_dir", ConfigValueRules.nonEmpty)
        layer.basePath = value("base_path") { $0 }
        layer.apiBasePath = value("api_base_path") { $0 }
        layer.tz = value("tz", ConfigValueRules.timeZone)
        layer.authMode = value("auth.mode", ConfigValueRules.authMode)
        layer.basicUsername = value("auth.basic.username") { $0 }
        layer.basicPassword = value("auth.basic.password") { $0 }
        if let tokens = value("auth.tokens", ConfigValueRules.commaList) {
            layer.tokens = tokens.value.map { Sourced($0, tokens.origin) }
        }
        layer.metrics = value("metrics", ConfigValueRules.metrics)
        layer.idleTimeoutSec = value("idle_timeout_sec") { text throws(ConfigValueError) in
            try ConfigValueRules.idleTimeout(ConfigValueRules.integer(text))
        }
        layer.eventsEnabled = value("events.enabled", ConfigValueRules.boolean)
        layer.defaultShell = value("default_shell") { text throws(ConfigValueError) in
            try ConfigValueRules.shell(ShellWords.split(text))
        }
        layer.logLevel = value("log_level", ConfigValueRules.logLevel)
        return layer
    }

    mutating func overridesLayer(_ overrides: ConfigOverrides) -> ConfigLayer {
        func value<Input, Value>(_ input: Input?, _ key: String, _ flag: String,
                                 _ rule: (Input) throws(ConfigValueError) -> Value) -> Sourced<Value>? {
            guard let input else { return nil }
            return check(key, .flag(name: flag), input, rule)
        }
        var layer = ConfigLayer()
        layer.home = value(overrides.home, "home", "--home", ConfigValueRules.nonEmpty)
        layer.host = value(overrides.host, "host", "--host", ConfigValueRules.nonEmpty)
        layer.port = value(overrides.port, "port", "--port", ConfigValueRules.port)
        layer.dagsDir = value(overrides.dagsDir, "dags_dir", "--dags", ConfigValueRules.nonEmpty)
        layer.dataDir = value(overrides.dataDir, "data_dir", "--data", ConfigValueRules.nonEmpty)
        layer.docsDir = value(overrides.docsDir, "docs_dir", "--docs", ConfigValueRules.nonEmpty)
        layer.basePath = value(overrides.basePath, "base_path", "--base-path") { $0 }
        layer.apiBasePath = value(overrides.apiBasePath, "api_base_path", "--api-base-path") { $0 }
        layer.tz = value(overrides.tz, "tz", "--tz", ConfigValueRules.timeZone)
        layer.logLevel = value(overrides.logLevel, "log_level", "--log-level", ConfigValueRules.logLevel)
        return layer
    }

    private mutating func check<Input, Value>(_ key: String, _ origin: ConfigOrigin, _ input: Input,
                                              _ rule: (Input) throws(ConfigValueError) -> Value) -> Sourced<Value>? {
        do {
            return Sourced(try rule(input), origin)
        } catch {
            problems.append(ConfigProblem(.error, key: key, origin: origin, message: error.message))
            return nil
        }
    }
}
