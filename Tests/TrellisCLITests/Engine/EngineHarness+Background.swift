import Foundation
import Testing
import TrellisCore
import TrellisStore

/// A `trellis start` running in the background (another process), killed by ``stop()``.
final class BackgroundRun: @unchecked Sendable {
    let process: Process
    let runID: String
    let dag: String

    init(process: Process, runID: String, dag: String) {
        self.process = process
        self.runID = runID
        self.dag = dag
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits (bounded) for the process to exit and returns its exit status.
    func exitStatus(within seconds: Double = 90) throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else { throw EngineWaitTimeout(what: "trellis start \(dag) to exit") }
            usleep(10_000)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILLs the process if it still runs (its steps die with it: parent-death signal).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

struct EngineWaitTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

extension EngineHarness {
    /// `trellis start` with extra environment variables for the trellis process.
    func start(_ dag: String, withEnvironment environment: [String: String], params: [String] = []) throws
        -> (status: Int32, run: RunSnapshot, output: BinaryRunner.Output) {
        let output = try trellis(["start", dag] + (params.isEmpty ? [] : ["--"] + params), environment: environment)
        let runID = output.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let snapshot = try #require(try latest(dag: dag, runID: runID), "no run stored: \(output.stderr)")
        return (output.status, snapshot, output)
    }

    /// Starts `trellis start <dag>` (or another command printing the run ID first) in the
    /// background and waits for its run ID.
    func startInBackground(_ dag: String, arguments: [String]? = nil) throws -> BackgroundRun {
        let process = Process()
        process.executableURL = BinaryRunner.binary
        process.arguments = arguments ?? ["start", dag]
        process.currentDirectoryURL = dir.url
        var env = ProcessInfo.processInfo.environment
        env["TRELLIS_DAGS_DIR"] = nil
        env["TRELLIS_HOME"] = home
        process.environment = env
        let out = dir.url.appendingPathComponent(".bg-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        do {
            let runID = try waitFor("the run ID of \(dag)") {
                let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
                return text.contains("\n") ? text.split(separator: "\n").first.map(String.init) : nil
            }
            return BackgroundRun(process: process, runID: runID, dag: dag)
        } catch {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw error
        }
    }

    /// Polls until `probe` returns a value (an event in another process), bounded.
    func waitFor<T>(_ what: String, seconds: Double = 90, _ probe: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try probe() { return value }
            usleep(20_000)
        }
        throw EngineWaitTimeout(what: what)
    }

    /// Waits until the node has `status` in the stored state of the background run; a timeout
    /// lists the statuses seen and when (seconds into the wait).
    @discardableResult
    func waitForNode(_ run: BackgroundRun, _ step: String, _ status: NodeStatus) throws -> NodeRecord {
        var seen: [String] = []
        var lastLabel: String?
        let begin = Date()
        do {
            return try waitFor("\(step) to be \(status.label)") {
                let node = try latest(dag: run.dag, runID: run.runID)?.node(named: step)
                let label = node?.status.label ?? "none"
                if label != lastLabel {
                    lastLabel = label
                    seen.append(label + String(format: "@%.2f", Date().timeIntervalSince(begin)))
                }
                return node?.status == status ? node : nil
            }
        } catch let timeout as EngineWaitTimeout {
            throw EngineWaitTimeout(what: timeout.what + " (seen: \(seen); the process \(run.process.isRunning ? "runs" : "has exited"))")
        }
    }

    /// Waits until the background run's work dir holds `name` (a step signalling it is ready).
    func waitForWorkFile(_ run: BackgroundRun, _ name: String) throws {
        _ = try waitFor("\(name) in the work dir") { () -> Bool? in
            guard let snapshot = try latest(dag: run.dag, runID: run.runID), !snapshot.log.isEmpty else { return nil }
            return FileManager.default.fileExists(atPath: runDirectory(snapshot) + "/work/" + name) ? true : nil
        }
    }

    /// The run folder (`run.log`'s directory).
    func runDirectory(_ run: RunSnapshot) -> String {
        (run.log as NSString).deletingLastPathComponent
    }

    /// A file of the run's work dir (`DAG_RUN_WORK_DIR`), or "" when absent.
    func workFile(_ run: RunSnapshot, _ name: String) -> String {
        (try? String(contentsOfFile: runDirectory(run) + "/work/" + name, encoding: .utf8)) ?? ""
    }

    /// A path inside the temporary home.
    func path(_ name: String) -> String {
        dir.url.appendingPathComponent(name).path
    }
}
