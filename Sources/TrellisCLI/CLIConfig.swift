import Foundation
import TrellisCore

/// The configuration (DAG-FORMAT §18) as the commands read it: the config file (`--config`,
/// else `TRELLIS_CONFIG`, else `<home>/trellis.yaml` when it exists), `TRELLIS_*` variables, flags.
enum CLIConfig {
    /// The config file's text and path, `nil`s when there is none; a file that was asked for
    /// and cannot be read is an error.
    static func file(flag: String?, home: String?, environment: [String: String]) throws -> (text: String?, path: String?) {
        guard let location = ConfigLoader.configFilePath(flag: flag, environment: environment, home: home) else { return (nil, nil) }
        guard let text = FileBytes.text(location.path) else {
            if location.required { throw CLIFailure(2, "cannot read the config file \(location.path)") }
            return (nil, nil)
        }
        return (text, location.path)
    }

    /// The whole configuration; every problem at once as a usage error (exit 2).
    static func load(global: GlobalOptions, configFile: String?, overrides: ConfigOverrides) throws -> TrellisConfig {
        let environment = ProcessInfo.processInfo.environment
        let (text, path) = try file(flag: configFile, home: global.home, environment: environment)
        switch ConfigLoader.load(fileText: text, filePath: path, environment: environment, overrides: overrides,
                                 currentDirectory: FileManager.default.currentDirectoryPath) {
        case .success(let config): return config
        case .failure(let errors): throw CLIFailure(2, errors.description)
        }
    }

    static func load(global: GlobalOptions, configFile: String?) throws -> TrellisConfig {
        try load(global: global, configFile: configFile,
                 overrides: ConfigOverrides(home: global.home, dagsDir: global.dagsDir, dataDir: global.dataDir))
    }
}
