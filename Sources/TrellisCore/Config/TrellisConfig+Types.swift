/// Who may read `GET /metrics` (API §3.3).
public enum MetricsAccess: String, Sendable, Hashable, CaseIterable {
    /// Needs credentials when authentication is on (the default).
    case `private`
    /// Always public.
    case `public`
}

/// The log levels of `log_level`, the same names as swift-log's `Logger.Level`.
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case trace, debug, info, notice, warning, error, critical

    /// Least to most severe.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .notice: 3
        case .warning: 4
        case .error: 5
        case .critical: 6
        }
    }
}

/// A global queue declared in the config (§14.1).
public struct QueueConfig: Sendable, Hashable {
    /// The queue name (the rules of DAG names, §1.2).
    public var name: String
    /// How many runs of the queue may run at once, at least 1.
    public var maxConcurrency: Int

    /// Creates a queue declaration.
    public init(name: String, maxConcurrency: Int = 1) {
        self.name = name
        self.maxConcurrency = maxConcurrency
    }
}

/// The event log settings (`events`; API §8).
public struct EventsConfig: Sendable, Hashable {
    /// Whether events are recorded (`events.enabled`, `TRELLIS_EVENTS_ENABLED`).
    public var enabled: Bool
    /// How many days of event files cleanup keeps (`events.retention_days`), at least 1.
    public var retentionDays: Int

    /// Creates the settings; the defaults are enabled, 30 days.
    public init(enabled: Bool = true, retentionDays: Int = 30) {
        self.enabled = enabled
        self.retentionDays = retentionDays
    }
}
