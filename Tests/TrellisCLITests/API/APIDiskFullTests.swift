import Foundation
import Testing
import TrellisCore

/// `data/` on a full file system (a 1 MiB tmpfs, where this machine lets the test mount one):
/// writes fail with an error response, the server keeps serving reads, and nothing already
/// stored is damaged; once space is back, work goes on.
@Suite("REST API: a full disk under data/")
struct APIDiskFullTests {
    static let hello = "steps:\n  - {name: greet, command: 'echo hello'}\n"

    @Test("start fails cleanly on a full disk; reads go on; stored runs stay intact; space back, starts work",
          .enabled(if: SmallFileSystem.canMount, "needs permission to mount a tmpfs"))
    func fullDisk() async throws {
        let data = try SmallFileSystem(sizeKiB: 1_024)
        defer { data.unmount() }
        let server = try ServerHarness(environment: ["TRELLIS_DATA_DIR": data.path], dags: ["hello": Self.hello])
        defer { server.stop() }

        let first = try #require(try await server.request("POST", "/api/v1/dags/hello/start", body: "{}").json?["dagRunId"]?.stringValue)
        _ = try await eventually("the first run succeeds") { () -> Bool? in
            try await status(server, first) == "succeeded" ? true : nil
        }

        data.fill()
        for attempt in 0..<3 {
            let refused = try await server.request("POST", "/api/v1/dags/hello/start", body: "{}")
            #expect(refused.status == 500, "attempt \(attempt): \(refused.text)")
            #expect(refused.json?["code"] == "internal_error")
            #expect(refused.json?["details"]?["requestId"]?.stringValue?.isEmpty == false)
            let enqueued = try await server.request("POST", "/api/v1/dags/hello/enqueue", body: "{}")
            #expect(enqueued.status == 500, "\(enqueued.text)")
        }
        // The run agents said why and exited; none crashed on its unwritable stderr.
        let output = (try? FileManager.default.contentsOfDirectory(atPath: server.home.home))?
            .filter { $0.hasPrefix("server-") }
            .compactMap { try? String(contentsOfFile: server.home.home + "/" + $0, encoding: .utf8) }
            .joined() ?? ""
        #expect(output.contains("run agent exited"), "\(output)")
        #expect(!output.contains("killed by signal"), "\(output)")
        // Reads still work, and show only the first run, unharmed.
        let listed = try await server.request("GET", "/api/v1/dag-runs")
        #expect(listed.status == 200)
        #expect(listed.json?["dagRuns"]?.arrayValue?.compactMap { $0["dagRunId"]?.stringValue } == [first])
        #expect(try await status(server, first) == "succeeded")
        let log = try await server.request("GET", "/api/v1/dag-runs/hello/\(first)/steps/greet/log")
        #expect(log.json?["content"]?.stringValue?.contains("hello") == true, "\(log.text)")
        #expect(try await server.request("GET", "/api/v1/dags").status == 200)
        #expect(try await server.request("GET", "/api/v1/health").status == 200)

        data.free()
        let second = try await server.request("POST", "/api/v1/dags/hello/start", body: "{}")
        #expect(second.status == 200, "\(second.text)")
        let secondID = try #require(second.json?["dagRunId"]?.stringValue)
        _ = try await eventually("the run after the disk recovered succeeds") { () -> Bool? in
            try await status(server, secondID) == "succeeded" ? true : nil
        }
        #expect(try await status(server, first) == "succeeded")
        // Every record on disk is whole JSON: the failed writes left no torn line behind.
        for file in data.files(withSuffix: ".jsonl") {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                #expect((try? JSONValue.parse(String(line))) != nil, "\(file): \(line.prefix(80))")
            }
        }
    }

    private func status(_ server: ServerHarness, _ runID: String) async throws -> String? {
        try await server.request("GET", "/api/v1/dag-runs/hello/\(runID)").json?["dagRunDetails"]?["statusLabel"]?.stringValue
    }

}

/// A small tmpfs mounted on a temporary folder, filled and freed on demand.
struct SmallFileSystem {
    let path: String
    private var filler: String { path + "/.filler" }

    /// Whether this process may mount a tmpfs (root in a sandbox that allows it).
    static let canMount: Bool = {
        guard let probe = try? SmallFileSystem(sizeKiB: 64) else { return false }
        probe.unmount()
        return true
    }()

    init(sizeKiB: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-tmpfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try BinaryRunner.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeKiB)k", "tmpfs", path])
        guard result == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw BinaryRunner.ToolFailure(description: "mount failed")
        }
    }

    /// Writes zeros until the file system is full.
    func fill() {
        let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let block = [UInt8](repeating: 0, count: 4_096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    func free() {
        unlink(filler)
    }

    func files(withSuffix suffix: String) -> [String] {
        (FileManager.default.subpaths(atPath: path) ?? []).filter { $0.hasSuffix(suffix) }.map { path + "/" + $0 }
    }

    func unmount() {
        _ = try? BinaryRunner.runTool("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}
