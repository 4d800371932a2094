import Foundation

/// The settings of one Trellis installation (DAG-FORMAT §18), after every source was merged.
///
/// Built by ``ConfigLoader`` from command-line flags, environment variables, the config file and
/// the defaults, in that order of precedence. Paths are resolved: `home` against the current
/// directory, the other directories against `home`.
public struct TrellisConfig: Sendable, Hashable {
    /// The directory relative paths resolve against (`home`, `TRELLIS_HOME`).
    public var home: String
    /// The address the API server listens on (`host`, `TRELLIS_HOST`).
    public var host: String
    /// The port the API server listens on, 1–65535 (`port`, `TRELLIS_PORT`).
    public var port: Int
    /// Where DAG files live (`dags_dir`, `TRELLIS_DAGS_DIR`).
    public var dagsDir: String
    /// Where run history, queues and events live (`data_dir`, `TRELLIS_DATA_DIR`).
    public var dataDir: String
    /// Where DAG documentation lives (`docs_dir`, `TRELLIS_DOCS_DIR`); `<dags_dir>/docs` by default.
    public var docsDir: String
    /// The prefix of everything the server serves, normalized: `""` or `/segment[/segment…]`,
    /// with `$VAR` already expanded (`base_path`, `TRELLIS_BASE_PATH`; API §1.1).
    public var basePath: String
    /// The API's path under ``basePath``, normalized to start with `/` (`api_base_path`,
    /// `TRELLIS_API_BASE_PATH`; API §1.1).
    public var apiBasePath: String
    /// The zone of cron schedules without `CRON_TZ` and of timestamps in API output, as a valid
    /// time zone identifier; `nil` = the system zone (`tz`, `TRELLIS_TZ`).
    public var tz: String?
    /// API authentication, with its mode already resolved (API §2).
    public var auth: AuthConfig
    /// Whether `GET /metrics` needs credentials (`metrics`, `TRELLIS_METRICS`).
    public var metrics: MetricsAccess
    /// How many seconds an API connection may stay idle — no request being read or answered,
    /// including one whose headers are still arriving — before the server closes it; 0 = never
    /// (`idle_timeout_sec`, `TRELLIS_IDLE_TIMEOUT_SEC`; default 60).
    public var idleTimeoutSec: Int
    /// The global queues (`queues`; §14.1), in file order.
    public var queues: [QueueConfig]
    /// The event log (`events`; API §8).
    public var events: EventsConfig
    /// The shell of steps that set none, as argv words (`default_shell`, `TRELLIS_DEFAULT_SHELL`,
    /// else `$SHELL`, else `/bin/sh`).
    public var defaultShell: [String]
    /// Extra host environment variables step processes inherit (`env_passthrough`; §5.2).
    public var envPassthrough: [String]
    /// How much the processes log (`log_level`, `TRELLIS_LOG_LEVEL`).
    public var logLevel: LogLevel
    /// Problems that do not stop Trellis (a short API token, an unset `$VAR` in `base_path`…),
    /// for the caller to log at start-up.
    public var warnings: [ConfigProblem]

    /// The defaults of §18 with `home` as given (the current directory when `"."`).
    public init(home: String = ".") {
        self.home = home
        host = "127.0.0.1"
        port = 8080
        dagsDir = ConfigPaths.resolve("dags", against: home)
        dataDir = ConfigPaths.resolve("data", against: home)
        docsDir = ConfigPaths.resolve("docs", against: dagsDir)
        basePath = ""
        apiBasePath = MountPath.defaultAPIBasePath
        tz = nil
        auth = AuthConfig()
        metrics = .private
        idleTimeoutSec = 60
        queues = []
        events = EventsConfig()
        defaultShell = ["/bin/sh"]
        envPassthrough = []
        logLevel = .info
        warnings = []
    }

    /// Where the REST API is mounted: `"/" + join(trim(base_path), trim(api_base_path))` (API §1.1).
    public var mountPath: String {
        MountPath.mount(basePath: basePath, apiBasePath: apiBasePath)
    }

    /// The configured zone; `nil` means the system zone.
    public var timeZone: TimeZone? {
        tz.flatMap(TimeZone.init(identifier:))
    }

    /// The declared global queue named `name`, if any.
    public func queue(named name: String) -> QueueConfig? {
        queues.first { $0.name == name }
    }
}
