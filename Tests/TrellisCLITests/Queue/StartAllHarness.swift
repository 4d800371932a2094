import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import TrellisCore
import TrellisStore

/// A real `trellis start-all --port 0` (REST API and scheduler in one process) in the background
/// over a temporary home, its output in a file, with an HTTP client allowed many connections at
/// once (for concurrent requests).
final class StartAllHarness: RunWatching, @unchecked Sendable {
    // Set in init; `process` is only touched by the test's task.
    let home: EngineHarness
    let process = Process()
    let outputPath: String
    let base: String
    let session: URLSession
    let store: FileRunStore

    /// Starts `trellis start-all` over `home` and waits (bounded) until it listens.
    init(home: EngineHarness) throws {
        self.home = home
        try FileManager.default.createDirectory(atPath: home.dataDirectory, withIntermediateDirectories: true)
        outputPath = home.path(".start-all-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        process.executableURL = BinaryRunner.binary
        process.arguments = ["start-all", "--port", "0"]
        process.currentDirectoryURL = home.dir.url
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("TRELLIS_") { environment[key] = nil }
        environment["TRELLIS_HOME"] = home.home
        process.environment = environment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try handle.close()

        let deadline = Date().addingTimeInterval(90)
        var port: Int?
        while Date() < deadline, port == nil, process.isRunning {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber })
            } else {
                usleep(20_000)
            }
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 128
        configuration.timeoutIntervalForRequest = 120
        session = URLSession(configuration: configuration)
        var logger = Logger(label: "trellis.test.start-all")
        logger.logLevel = .critical
        store = FileRunStore(dataDirectory: home.dataDirectory, logger: logger)
        guard let port else {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            store.close()
            throw QueueTestFailure("trellis start-all did not start listening: \(output)")
        }
        base = "http://127.0.0.1:\(port)"
    }

    /// Everything the process printed so far (stdout and the log on stderr).
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Waits (bounded) until the output contains `text`.
    func waitForOutput(_ text: String) async throws {
        _ = try await QueueTestWait.until("\"\(text)\" in the output of trellis start-all") {
            output.contains(text) ? true : nil
        }
    }

    struct Reply: Sendable {
        var status: Int
        var body: Data
        var json: JSONValue? { try? JSONValue.parse(String(decoding: body, as: UTF8.self)) }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One HTTP request to `base + path`.
    func request(_ method: String, _ path: String, body: String? = nil) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw QueueTestFailure("bad URL \(base + path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw QueueTestFailure("no HTTP response from \(path)") }
        return Reply(status: http.statusCode, body: data)
    }

    /// `GET /queues/<name>` as (running, queued), or nil when the queue is not listed.
    func queueCounts(_ name: String) async throws -> (running: Int, queued: Int)? {
        let reply = try await request("GET", "/api/v1/queues/\(name)")
        guard reply.status == 200, let json = reply.json,
              let running = json["runningCount"]?.intValue, let queued = json["queuedCount"]?.intValue else { return nil }
        return (running, queued)
    }

    /// A run of a loaded CI machine may take this long to end.
    var endWait: Double { 90 }

    /// SIGTERM, then SIGKILL if it has not exited within 20 s; closes the store. The home stays.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        session.invalidateAndCancel()
        store.close()
    }
}
