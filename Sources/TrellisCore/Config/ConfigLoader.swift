/// Loads the Trellis configuration (DAG-FORMAT §18) from flags, environment variables, the
/// config file's text and the defaults, in that order of precedence. Pure: the caller reads the
/// file and passes the environment.
public enum ConfigLoader {
    /// The name of the config file inside `home`.
    public static let defaultFileName = "trellis.yaml"

    /// Merges every source into a configuration, or reports every problem at once.
    ///
    /// - Parameters:
    ///   - fileText: the config file's text, `nil` when there is no file.
    ///   - filePath: the file's path as it should appear in messages (`trellis.yaml`).
    ///   - environment: the process environment; only the §18 variables, `SHELL` and `HOME`
    ///     (for `~/` in paths) and the variables named in `base_path` are read from it.
    ///   - overrides: the command-line flags.
    ///   - currentDirectory: the default `home`, and what a relative `home` resolves against;
    ///     with the default `"."` every resolved path stays relative to the process's directory.
    /// - Returns: the configuration, with its warnings in ``TrellisConfig/warnings``; or every
    ///   error, file problems first in line order, then environment variables, flags, and the
    ///   checks across settings (auth).
    public static func load(fileText: String?, filePath: String?, environment: [String: String],
                            overrides: ConfigOverrides = .none,
                            currentDirectory: String = ".") -> Result<TrellisConfig, ConfigErrors> {
        let file = readFile(fileText: fileText, filePath: filePath)
        var sources = ConfigSourceReader()
        let environmentLayer = sources.environmentLayer(environment)
        let flagLayer = sources.overridesLayer(overrides)
        let merged = ConfigLayer.merged([flagLayer, environmentLayer, file.layer])
        var (config, resolution) = resolve(merged, environment: environment, currentDirectory: currentDirectory)
        let problems = file.problems + sources.problems + resolution
        let errors = problems.filter(\.isError)
        config.warnings = problems.filter { !$0.isError }
        guard errors.isEmpty else { return .failure(ConfigErrors(errors: errors, warnings: config.warnings)) }
        return .success(config)
    }

    /// Which config file to read: `--config` (must exist), else `TRELLIS_CONFIG` (must exist),
    /// else `trellis.yaml` in the home directory — the `--home` flag, else `TRELLIS_HOME`, else
    /// the current directory (`trellis.yaml`, relative) — read only if it exists. The caller
    /// checks existence. `nil` when `--config ""` turns the file off. Empty environment
    /// variables count as unset.
    public static func configFilePath(flag: String?, environment: [String: String],
                                      home: String? = nil) -> (path: String, required: Bool)? {
        if let flag { return flag.isEmpty ? nil : (flag, true) }
        if let path = environment["TRELLIS_CONFIG"], !path.isEmpty { return (path, true) }
        let directory = home ?? environment["TRELLIS_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        guard let directory, !directory.isEmpty else { return (defaultFileName, false) }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let resolvedHome = ConfigPaths.resolve(directory, against: ".", userHome: userHome)
        return (ConfigPaths.resolve(defaultFileName, against: resolvedHome), false)
    }

    // MARK: - Steps

    /// The file's layer and its problems in line order.
    private static func readFile(fileText: String?, filePath: String?) -> (layer: ConfigLayer, problems: [ConfigProblem]) {
        guard let fileText else { return (ConfigLayer(), []) }
        let name = filePath ?? defaultFileName
        let log = DiagnosticLog(file: name)
        var layer = ConfigLayer()
        switch YAMLDocumentParser().parse(text: fileText) {
        case .failure(let error):
            let message = error.message.hasPrefix("a second YAML document")
                ? "a config file holds one YAML document; remove the second (---)"
                : error.message
            log.error("", message, line: error.line)
        case .success(let root):
            layer = ConfigFileReader(fileName: name, log: log).layer(from: root)
        }
        let problems = log.items.enumerated().sorted { lhs, rhs in
            let left = lhs.element.line ?? 0, right = rhs.element.line ?? 0
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map { entry in
            let diagnostic = entry.element
            return ConfigProblem(diagnostic.severity, key: diagnostic.path,
                                 origin: .file(path: name, line: diagnostic.line), message: diagnostic.message)
        }
        return (layer, problems)
    }

    /// Applies the defaults, resolves paths and the auth mode, expands `base_path`.
    private static func resolve(_ layer: ConfigLayer, environment: [String: String],
                                currentDirectory: String) -> (TrellisConfig, [ConfigProblem]) {
        var problems: [ConfigProblem] = []
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let home = ConfigPaths.resolve(layer.home?.value ?? ".", against: currentDirectory, userHome: userHome)
        var config = TrellisConfig(home: home)
        func path(_ value: Sourced<String>?, default fallback: String) -> String {
            ConfigPaths.resolve(value?.value ?? fallback, against: home, userHome: userHome)
        }
        config.dagsDir = path(layer.dagsDir, default: "dags")
        config.dataDir = path(layer.dataDir, default: "data")
        config.docsDir = layer.docsDir == nil ? ConfigPaths.resolve("docs", against: config.dagsDir) : path(layer.docsDir, default: "")
        if let host = layer.host { config.host = host.value }
        if let port = layer.port { config.port = port.value }
        if let base = layer.basePath {
            let expanded = MountPath.expand(base.value, environment: environment)
            config.basePath = MountPath.normalizedBasePath(expanded.text)
            for name in expanded.unset {
                problems.append(ConfigProblem(.warning, key: "base_path", origin: base.origin,
                                              message: "$\(name) is not set in the environment; it expands to nothing"))
            }
        }
        if let api = layer.apiBasePath { config.apiBasePath = MountPath.normalizedAPIBasePath(api.value) }
        if let tz = layer.tz { config.tz = tz.value }
        if let metrics = layer.metrics { config.metrics = metrics.value }
        if let idle = layer.idleTimeoutSec { config.idleTimeoutSec = idle.value }
        if let queues = layer.queues { config.queues = queues.value }
        if let enabled = layer.eventsEnabled { config.events.enabled = enabled.value }
        if let days = layer.eventsRetentionDays { config.events.retentionDays = days.value }
        if let shell = layer.defaultShell {
            config.defaultShell = shell.value
        } else if let shell = environment["SHELL"], !shell.isEmpty {
            config.defaultShell = [shell]
        }
        if let names = layer.envPassthrough { config.envPassthrough = names.value }
        if let level = layer.logLevel { config.logLevel = level.value }
        let auth = AuthModePlanner.resolve(AuthModePlanner.Input(
            mode: layer.authMode, username: layer.basicUsername, password: layer.basicPassword, tokens: layer.tokens))
        config.auth = auth.auth
        problems += auth.problems
        return (config, problems)
    }
}
