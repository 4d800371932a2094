import ArgumentParser
import Foundation

/// Flags every command accepts (DAG-FORMAT §19).
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("home"), help: "Trellis home: relative paths resolve against it (default: $TRELLIS_HOME, else the current directory).")
    var home: String?

    @Option(name: .customLong("dags"), help: "The DAGs directory (default: $TRELLIS_DAGS_DIR, else <home>/dags).")
    var dagsDir: String?

    @Option(name: .customLong("data"), help: "The data directory for run history (default: $TRELLIS_DATA_DIR, else <home>/data).")
    var dataDir: String?

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print only errors.")
    var quiet = false

    /// The resolved home directory: flag, then `TRELLIS_HOME`, then the current directory.
    func homeDirectory(environment: [String: String]) -> String {
        if let home { return home }
        if let home = environment["TRELLIS_HOME"], !home.isEmpty { return home }
        return FileManager.default.currentDirectoryPath
    }

    /// The resolved DAGs directory: flag, then `TRELLIS_DAGS_DIR`, then `<home>/dags`.
    func dagsDirectory(environment: [String: String]) -> String {
        let home = homeDirectory(environment: environment)
        let configured = dagsDir ?? environment["TRELLIS_DAGS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "dags"
        return PathResolution.resolve(configured, against: home)
    }
}

extension GlobalOptions {
    /// The resolved data directory: flag, then `TRELLIS_DATA_DIR`, then `<home>/data`.
    func dataDirectory(environment: [String: String]) -> String {
        let home = homeDirectory(environment: environment)
        let configured = dataDir ?? environment["TRELLIS_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        return PathResolution.resolve(configured, against: home)
    }

    /// Arguments that make a child `trellis` process see the same directories.
    func forwardedArguments(environment: [String: String]) -> [String] {
        let home = PathResolution.resolve(homeDirectory(environment: environment), against: FileManager.default.currentDirectoryPath)
        return ["--home", home,
                "--dags", PathResolution.resolve(dagsDirectory(environment: environment), against: FileManager.default.currentDirectoryPath),
                "--data", PathResolution.resolve(dataDirectory(environment: environment), against: FileManager.default.currentDirectoryPath)]
    }
}

/// Joins relative paths onto a base directory.
enum PathResolution {
    static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            return home + String(path.dropFirst(1))
        }
        return (base as NSString).appendingPathComponent(path)
    }
}
