import Foundation
import Logging
import Testing
import TrellisCore
import TrellisStore

/// `trellis bench-seed-runs`: the hidden seeder of scripts/bench/perf_bench.py.
@Suite("trellis bench-seed-runs (binary)")
struct BenchSeedCommandTests {
    static let end = "2026-03-10T12:00:00Z"

    /// Every root run of the data directory, newest first, following the cursors.
    static func allRuns(_ data: String, dag: String?) throws -> [RunIndexEntry] {
        let store = FileRunStore(dataDirectory: data, logger: Logger(label: "test"))
        defer { store.close() }
        var entries: [RunIndexEntry] = []
        var cursor: String?
        repeat {
            let page = try store.runs(dagName: dag, limit: 7, cursor: cursor)
            entries += page.entries
            cursor = page.nextCursor
        } while cursor != nil
        return entries
    }

    @Test("creates N succeeded runs spread over D days ending at --end, listed newest first")
    func seedsRuns() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try BinaryRunner.run(
            ["bench-seed-runs", "--home", dir.url.path, "--dag", "seeded", "--count", "30", "--days", "3",
             "--end", Self.end, "--jobs", "3"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("created 30 runs of seeded over 3 days"))
        #expect(result.stdout.contains("runs/s"))

        let data = dir.url.appendingPathComponent("data").path
        let runs = try Self.allRuns(data, dag: nil)
        #expect(runs.count == 30)
        #expect(Set(runs.map(\.runId)).count == 30)
        #expect(runs.allSatisfy { $0.dag == "seeded" && $0.status == .succeeded && $0.finishedAt != nil })
        let times = runs.map(\.createdAt)
        #expect(times == times.sorted(by: >), "newest first")
        let newest = try #require(ISO8601DateFormatter().date(from: Self.end))
        #expect(abs(times[0].timeIntervalSince(newest)) < 0.001)
        // Evenly spread: 30 runs over 3 days, 2.4 h apart; the oldest 29 steps before the newest.
        #expect(abs(times[0].timeIntervalSince(times[29]) - 29 * 8_640) < 0.01)
        #expect(try Self.allRuns(data, dag: "seeded").map(\.runId) == runs.map(\.runId))
        let days = try FileManager.default.contentsOfDirectory(atPath: data + "/index").filter { $0.hasSuffix(".jsonl") }
        #expect(days.sorted() == ["2026-03-07.jsonl", "2026-03-08.jsonl", "2026-03-09.jsonl", "2026-03-10.jsonl"])

        // `trellis status` sees the newest one as a finished run.
        let status = try BinaryRunner.run(["status", "--home", dir.url.path, "seeded"], in: dir.url)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Run ID:   \(runs[0].runId)"))
        #expect(status.stdout.contains("Status:   succeeded (4)"))
    }

    @Test("is hidden from help and refuses a bad count")
    func hiddenAndValidated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let help = try BinaryRunner.run(["--help"], in: dir.url)
        #expect(!help.stdout.contains("bench-seed-runs"))
        let bad = try BinaryRunner.run(["bench-seed-runs", "--count", "-1"], in: dir.url)
        #expect(bad.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("data/runs").path))
    }
}
