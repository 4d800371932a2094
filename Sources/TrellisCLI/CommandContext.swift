import ArgumentParser
import Foundation
import Logging
import TrellisCore
import TrellisStore

/// What the run commands share: resolved directories, the store, DAG loading, messages.
struct CommandContext {
    let global: GlobalOptions
    let environment: [String: String]
    let dagsDirectory: String
    let dataDirectory: String
    let store: FileRunStore
    let logger: Logger

    init(_ global: GlobalOptions) throws {
        self.global = global
        environment = ProcessInfo.processInfo.environment
        let cwd = FileManager.default.currentDirectoryPath
        dagsDirectory = PathResolution.resolve(global.dagsDirectory(environment: environment), against: cwd)
        dataDirectory = PathResolution.resolve(global.dataDirectory(environment: environment), against: cwd)
        var logger = Logger(label: "trellis")
        logger.logLevel = global.quiet ? .error : .info
        self.logger = logger
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let events = EventLogSetup.cliSettings(home: global.home, environment: environment)
            store = FileRunStore(dataDirectory: dataDirectory, logger: logger,
                                 events: EventLogSetup.recorder(enabled: events.enabled, dataDirectory: dataDirectory,
                                                                source: .cli, logger: logger))
        } catch {
            throw CLIFailure(2, "cannot open the data directory \(dataDirectory): \(error)")
        }
    }

    /// A loaded DAG file: the model, its text and where it lives.
    struct LoadedDAG {
        var dag: DAG
        var text: String
        var path: String
        var fileStem: String
    }

    /// Finds and loads a DAG; invalid → the diagnostics and exit 2.
    func loadDAG(_ argument: String) throws -> LoadedDAG {
        let locator = DAGFileLocator(dagsDirectory: dagsDirectory)
        let path: String
        do {
            path = try locator.locate(argument, currentDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            throw CLIFailure(2, "\(error)")
        }
        guard case .success(let data) = FileBytes.read(path) else { throw CLIFailure(2, "cannot read \(path)") }
        let fileName = (path as NSString).lastPathComponent
        let result = DAGLoader.load(bytes: data, fileName: fileName,
                                    options: DAGLoadOptions(knownDAGNames: locator.knownNames()))
        guard result.isValid, let dag = result.dag else {
            throw CLIFailure(2, result.errors.map(\.description).joined(separator: "\n"))
        }
        return LoadedDAG(dag: dag, text: String(decoding: data, as: UTF8.self), path: path, fileStem: DAGLoader.stem(of: fileName))
    }

    /// The DAG name an argument means: the loaded file's name, else the argument itself.
    func dagName(_ argument: String) -> String {
        (try? loadDAG(argument).dag.name) ?? argument
    }

    /// The run to act on: `runID` or the newest run of the DAG.
    func runRef(dag argument: String, runID: String?) throws -> RunRef {
        let name = dagName(argument)
        if let runID { return RunRef(name: name, id: runID) }
        guard let latest = try store.runs(dagName: name, limit: 1, cursor: nil).entries.first else {
            throw CLIFailure(1, "no runs of \"\(name)\"")
        }
        return latest.run
    }

    func printError(_ message: String) {
        StandardStreams.err(message + "\n")
    }
}

/// A command failure with its exit code (§19) and message.
struct CLIFailure: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    init(_ code: Int32, _ message: String) {
        self.code = code
        self.message = message
    }
    var description: String { message }
}

extension CLIFailure {
    /// Prints the message and exits with the code.
    func exit() -> ExitCode {
        StandardStreams.err(message + "\n")
        return ExitCode(code)
    }
}
