import ArgumentParser
import Foundation
import TrellisCore

/// `trellis validate <dag-or-file>`: loads a DAG file and prints every error and warning.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a DAG file without running it.",
        discussion: """
        Prints every error and warning as `file:line: severity: field: message` on standard \
        error. Exits 0 when the DAG is valid (warnings allowed) and 2 when it is not.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A path to a YAML file, or a DAG's file name or DAG name in the DAGs directory.")
    var dag: String

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let dagsDir = global.dagsDirectory(environment: environment)
        let locator = DAGFileLocator(dagsDirectory: dagsDir)
        let path: String
        do {
            path = try locator.locate(dag, currentDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            StandardStreams.err("trellis validate: \(error)\n")
            throw ExitCode(2)
        }
        guard case .success(let data) = FileBytes.read(path) else {
            StandardStreams.err("trellis validate: cannot read \(path)\n")
            throw ExitCode(2)
        }
        // `call:` targets are looked up beside the file, which is the DAGs directory unless a
        // path elsewhere was given.
        let neighbours = DAGFileLocator(dagsDirectory: (path as NSString).deletingLastPathComponent)
        let options = DAGLoadOptions(knownDAGNames: neighbours.knownNames())
        let fileName = (path as NSString).lastPathComponent
        let result = DAGLoader.load(bytes: [UInt8](data), fileName: fileName, options: options)
        var report = ""
        for diagnostic in result.diagnostics where diagnostic.isError || !global.quiet {
            report += diagnostic.description + "\n"
        }
        StandardStreams.err(report)
        guard result.isValid, let loaded = result.dag else {
            let count = result.errors.count
            StandardStreams.err("\(fileName): invalid (\(count) error\(count == 1 ? "" : "s"))\n")
            throw ExitCode(2)
        }
        if !global.quiet {
            let warnings = result.warnings.count
            var summary = "\(fileName): valid DAG \"\(loaded.name)\" (\(loaded.type.rawValue), \(loaded.steps.count) step\(loaded.steps.count == 1 ? "" : "s")"
            if warnings > 0 { summary += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
            print(summary + ")")
        }
    }
}
