/// A configured value and where it came from.
struct Sourced<Value: Sendable & Hashable>: Sendable, Hashable {
    var value: Value
    var origin: ConfigOrigin

    init(_ value: Value, _ origin: ConfigOrigin) {
        self.value = value
        self.origin = origin
    }
}

/// What one source (the file, the environment, the flags) sets, already checked; `nil` =
/// not set by this source.
struct ConfigLayer: Sendable, Hashable {
    var home: Sourced<String>?
    var host: Sourced<String>?
    var port: Sourced<Int>?
    var dagsDir: Sourced<String>?
    var dataDir: Sourced<String>?
    var docsDir: Sourced<String>?
    var basePath: Sourced<String>?
    var apiBasePath: Sourced<String>?
    /// A `nil` value = explicitly the system zone.
    var tz: Sourced<String?>?
    var authMode: Sourced<AuthMode>?
    var basicUsername: Sourced<String>?
    var basicPassword: Sourced<String>?
    /// Tokens are merged across sources, not overridden.
    var tokens: [Sourced<String>] = []
    var metrics: Sourced<MetricsAccess>?
    var idleTimeoutSec: Sourced<Int>?
    var queues: Sourced<[QueueConfig]>?
    var eventsEnabled: Sourced<Bool>?
    var eventsRetentionDays: Sourced<Int>?
    var defaultShell: Sourced<[String]>?
    var envPassthrough: Sourced<[String]>?
    var logLevel: Sourced<LogLevel>?

    /// One layer from `layers`, highest precedence first: each key from the first layer that
    /// sets it; tokens from every layer, lowest first (the file's, then the environment's).
    static func merged(_ layers: [ConfigLayer]) -> ConfigLayer {
        func first<Value>(_ key: KeyPath<ConfigLayer, Sourced<Value>?>) -> Sourced<Value>? {
            layers.lazy.compactMap { $0[keyPath: key] }.first
        }
        var result = ConfigLayer()
        result.home = first(\.home)
        result.host = first(\.host)
        result.port = first(\.port)
        result.dagsDir = first(\.dagsDir)
        result.dataDir = first(\.dataDir)
        result.docsDir = first(\.docsDir)
        result.basePath = first(\.basePath)
        result.apiBasePath = first(\.apiBasePath)
        result.tz = first(\.tz)
        result.authMode = first(\.authMode)
        result.basicUsername = first(\.basicUsername)
        result.basicPassword = first(\.basicPassword)
        result.tokens = layers.reversed().flatMap(\.tokens)
        result.metrics = first(\.metrics)
        result.idleTimeoutSec = first(\.idleTimeoutSec)
        result.queues = first(\.queues)
        result.eventsEnabled = first(\.eventsEnabled)
        result.eventsRetentionDays = first(\.eventsRetentionDays)
        result.defaultShell = first(\.defaultShell)
        result.envPassthrough = first(\.envPassthrough)
        result.logLevel = first(\.logLevel)
        return result
    }
}
