import Foundation
import Testing
import TrellisCore
import Logging
import TrellisStore

/// A temporary Trellis home with `dags/` and `data/`, driving the real `trellis` binary.
struct EngineHarness {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("dags"), withIntermediateDirectories: true)
    }

    var home: String { dir.url.path }
    var dataDirectory: String { dir.url.appendingPathComponent("data").path }

    func dag(_ name: String, _ yaml: String) throws {
        try dir.write("dags/\(name).yaml", yaml)
    }

    /// `trellis <command> …` with the home set.
    func trellis(_ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRunner.Output {
        var env = environment
        env["TRELLIS_HOME"] = home
        return try BinaryRunner.run(arguments, in: dir.url, environment: env)
    }

    /// Runs `trellis start` and returns the exit status and the stored final snapshot.
    func start(_ dag: String, _ options: [String] = [], params: [String] = []) throws -> (status: Int32, run: RunSnapshot, output: BinaryRunner.Output) {
        let output = try trellis(["start"] + options + [dag] + (params.isEmpty ? [] : ["--"] + params))
        let runID = output.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let snapshot = try #require(try latest(dag: dag, runID: runID), "no run stored: \(output.stderr)")
        return (output.status, snapshot, output)
    }

    func store() throws -> FileRunStore {
        try FileRunStore(dataDirectory: dataDirectory, logger: Logger(label: "test"))
    }

    func latest(dag: String, runID: String) throws -> RunSnapshot? {
        try store().latestSnapshot(of: RunRef(name: dag, id: runID))
    }

    func stepLog(_ run: RunSnapshot, _ step: String) -> String {
        guard let path = run.node(named: step)?.stdout else { return "" }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    func remove() { dir.remove() }
}

extension RunSnapshot {
    /// name → status label, for compact assertions.
    var nodeStatuses: [String: String] {
        var result: [String: String] = [:]
        for node in nodes { result[node.name] = node.status.label }
        for (name, node) in handlers { result[name] = node.status.label }
        return result
    }
}
