/// Settings given on the command line: the highest precedence (§18). `nil` = not given.
///
/// Problems with these values name the flag: `--port (port): must be between 1 and 65535`.
public struct ConfigOverrides: Sendable, Hashable {
    /// `--home`.
    public var home: String?
    /// `--host`.
    public var host: String?
    /// `--port`.
    public var port: Int?
    /// `--dags`.
    public var dagsDir: String?
    /// `--data`.
    public var dataDir: String?
    /// `--docs`.
    public var docsDir: String?
    /// `--base-path`.
    public var basePath: String?
    /// `--api-base-path`.
    public var apiBasePath: String?
    /// `--tz`.
    public var tz: String?
    /// `--log-level`.
    public var logLevel: String?

    /// Creates overrides; nothing is overridden by default.
    public init(home: String? = nil, host: String? = nil, port: Int? = nil, dagsDir: String? = nil,
                dataDir: String? = nil, docsDir: String? = nil, basePath: String? = nil,
                apiBasePath: String? = nil, tz: String? = nil, logLevel: String? = nil) {
        self.home = home
        self.host = host
        self.port = port
        self.dagsDir = dagsDir
        self.dataDir = dataDir
        self.docsDir = docsDir
        self.basePath = basePath
        self.apiBasePath = apiBasePath
        self.tz = tz
        self.logLevel = logLevel
    }

    /// No overrides.
    public static let none = ConfigOverrides()
}
