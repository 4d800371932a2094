import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TrellisCore

/// A real `trellis server` on 127.0.0.1 (port chosen by the kernel) over a temporary home.
final class ServerHarness: @unchecked Sendable {
    // Immutable after init except `process`, which only the test thread touches.
    let home: EngineHarness
    let environment: [String: String]
    /// `server`, or `start-all` (API and scheduler in one process).
    let command: String
    private(set) var process: Process
    private(set) var port: Int
    private(set) var base: String

    /// Starts the server; `environment` adds TRELLIS_* settings (auth, base path…).
    init(environment: [String: String] = [:], dags: [String: String] = [:], command: String = "server",
         prepare: (EngineHarness) throws -> Void = { _ in }) throws {
        home = try EngineHarness()
        self.environment = environment
        self.command = command
        for (name, yaml) in dags { try home.dag(name, yaml) }
        try prepare(home)
        (process, port) = try Self.launch(home: home, environment: environment, command: command)
        base = "http://127.0.0.1:\(port)"
    }

    /// SIGKILLs the server (no graceful shutdown) and starts a new one over the same home.
    func crashAndRestart() throws {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        (process, port) = try Self.launch(home: home, environment: environment, command: command)
        base = "http://127.0.0.1:\(port)"
    }

    private static func launch(home: EngineHarness, environment: [String: String], command: String) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = BinaryRunner.binary
        process.arguments = [command, "--port", "0"]
        process.currentDirectoryURL = home.dir.url
        var env = ProcessInfo.processInfo.environment
        env["TRELLIS_HOME"] = home.home
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = home.dir.url.appendingPathComponent("server-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        var found: Int?
        while Date() < deadline, found == nil, process.isRunning {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                let rest = text[range.upperBound...].prefix { $0.isNumber }
                found = Int(rest)
            } else {
                usleep(20_000)
            }
        }
        guard let found else {
            process.terminate()
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            throw ServerStartFailure(output: text)
        }
        return (process, found)
    }

    struct ServerStartFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "server did not start: \(output)" }
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: JSONValue? { try? JSONValue.parse(String(decoding: body, as: UTF8.self)) }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One HTTP request; `path` is appended to the server's base URL as is.
    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = method
        for (key, value) in headers { request.setValue(value, forHTTPHeaderField: key) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String { fields[key.lowercased()] = "\(value)" }
        }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        home.remove()
    }
}
