import Testing
@testable import TrellisCore

/// Shared helpers of the configuration suites. Every load uses `/cwd` as the current directory
/// and an empty environment unless told otherwise, so results never depend on the machine.
enum ConfigTestSupport {
    static let cwd = "/cwd"

    static func load(_ yaml: String? = nil, env: [String: String] = [:], flags: ConfigOverrides = .none,
                     file: String = "trellis.yaml", cwd: String = cwd) -> Result<TrellisConfig, ConfigErrors> {
        ConfigLoader.load(fileText: yaml, filePath: file, environment: env, overrides: flags, currentDirectory: cwd)
    }

    /// The configuration, recording an issue (with every error) when loading failed.
    static func config(_ yaml: String? = nil, env: [String: String] = [:], flags: ConfigOverrides = .none,
                       cwd: String = cwd, sourceLocation: SourceLocation = #_sourceLocation) throws -> TrellisConfig {
        switch load(yaml, env: env, flags: flags, cwd: cwd) {
        case .success(let config):
            return config
        case .failure(let errors):
            Issue.record("expected a configuration, got:\n\(errors)", sourceLocation: sourceLocation)
            throw errors
        }
    }

    /// The errors of a load that must fail, as printed; an issue when it succeeded.
    static func errors(_ yaml: String? = nil, env: [String: String] = [:], flags: ConfigOverrides = .none,
                       sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        failure(yaml, env: env, flags: flags, sourceLocation: sourceLocation)?.errors.map(\.description) ?? []
    }

    static func failure(_ yaml: String? = nil, env: [String: String] = [:], flags: ConfigOverrides = .none,
                        sourceLocation: SourceLocation = #_sourceLocation) -> ConfigErrors? {
        switch load(yaml, env: env, flags: flags) {
        case .success(let config):
            Issue.record("expected errors, got a configuration: \(config)", sourceLocation: sourceLocation)
            return nil
        case .failure(let errors):
            return errors
        }
    }
}
