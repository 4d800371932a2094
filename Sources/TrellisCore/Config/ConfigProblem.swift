/// Where a configuration value came from.
public enum ConfigOrigin: Sendable, Hashable {
    /// The config file, at a 1-based line when known.
    case file(path: String, line: Int?)
    /// An environment variable (`TRELLIS_PORT`).
    case environment(variable: String)
    /// A command-line flag (`--port`).
    case flag(name: String)
    /// A conclusion drawn from several settings together (the auth mode, API §2).
    case combined

    /// "in trellis.yaml:3", "from TRELLIS_PORT", "from --port", for messages.
    public var phrase: String {
        switch self {
        case .file(let path, let line): "in " + path + (line.map { ":\($0)" } ?? "")
        case .environment(let variable): "from " + variable
        case .flag(let name): "from " + name
        case .combined: "from the combined settings"
        }
    }
}

/// One problem with the configuration: which key, where it came from and what is wrong.
///
/// Rendered the way compilers report, so a terminal or editor can jump to it:
/// `trellis.yaml:3: unknown key "prot"; did you mean "port"?`,
/// `trellis.yaml:5: port: must be between 1 and 65535, found 70000`,
/// `TRELLIS_PORT (port): must be an integer, found "eighty"`,
/// `auth: mode "token" needs at least one token …`. Values of credentials never appear.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// Error or warning.
    public var severity: Diagnostic.Severity
    /// The config key path (`port`, `auth.mode`, `queues[1].max_concurrency`); empty for the
    /// whole file.
    public var key: String
    /// Where the offending value came from.
    public var origin: ConfigOrigin
    /// What is wrong, in one sentence.
    public var message: String

    /// Creates a problem.
    public init(_ severity: Diagnostic.Severity, key: String, origin: ConfigOrigin, message: String) {
        self.severity = severity
        self.key = key
        self.origin = origin
        self.message = message
    }

    /// True for errors.
    public var isError: Bool { severity == .error }

    /// `location: [warning: ]key: message`, as in the examples above.
    public var description: String {
        let level = severity == .warning ? "warning: " : ""
        let keyPrefix = key.isEmpty ? "" : key + ": "
        switch origin {
        case .file(let path, let line):
            return path + (line.map { ":\($0)" } ?? "") + ": " + level + keyPrefix + message
        case .environment(let variable):
            return variable + (key.isEmpty ? "" : " (\(key))") + ": " + level + message
        case .flag(let name):
            return name + (key.isEmpty ? "" : " (\(key))") + ": " + level + message
        case .combined:
            return level + keyPrefix + message
        }
    }
}

/// Every problem that stopped a configuration from loading, reported together.
public struct ConfigErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errors, file problems first (in line order), then environment variables, flags and
    /// the checks across settings. Never empty.
    public var errors: [ConfigProblem]
    /// The warnings found along the way.
    public var warnings: [ConfigProblem]

    /// Creates the error list.
    public init(errors: [ConfigProblem], warnings: [ConfigProblem] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    /// One problem per line, errors then warnings.
    public var description: String {
        (errors + warnings).map(\.description).joined(separator: "\n")
    }
}
