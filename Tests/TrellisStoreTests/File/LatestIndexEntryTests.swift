import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// `latestIndexEntry(dagName:)`: cached between calls, and still right after every change made
/// by another store instance on the same folder (another process, as a run agent is).
@Suite("Latest index entry cache")
struct LatestIndexEntryTests {
    @Test("follows new runs, lifecycle lines, new days and deletions written by another instance")
    func followsOtherWriters() throws {
        let clock = TestClock()
        let writer = StoreKind.file.make(clock: clock)
        let writerStore = try #require(writer.file)
        let reader = FileRunStore(dataDirectory: writerStore.dataDirectory, now: clock.function, logger: StoreFixtures.quietLogger)

        #expect(try reader.latestIndexEntry(dagName: "job") == nil)
        let first = try writer.create("job", "r1").run
        #expect(try reader.latestIndexEntry(dagName: "job")?.runId == "r1")
        #expect(try reader.latestIndexEntry(dagName: "job")?.status == .notStarted)

        try writer.move(first, to: .running)
        #expect(try reader.latestIndexEntry(dagName: "job")?.status == .running)
        clock.advance(seconds: 5)
        try writer.move(first, to: .succeeded)
        let finished = try #require(try reader.latestIndexEntry(dagName: "job"))
        #expect(finished.status == .succeeded && finished.finishedAt != nil)

        clock.advance(seconds: 60)
        try writer.create("job", "r2", status: .queued)
        #expect(try reader.latestIndexEntry(dagName: "job")?.runId == "r2")

        // A run on the next day, and one in the next month: new folders up the chain.
        clock.advance(days: 1)
        try writer.create("job", "r3")
        #expect(try reader.latestIndexEntry(dagName: "job")?.runId == "r3")
        clock.advance(days: 40)
        try writer.create("job", "r4", status: .queued)
        #expect(try reader.latestIndexEntry(dagName: "job")?.runId == "r4")
        #expect(try reader.latestIndexEntry(dagName: "job") == (try reader.runs(dagName: "job", limit: 1, cursor: nil).entries.first))

        // Another DAG's runs do not disturb this one; its own cache is separate.
        try writer.create("other", "o1")
        #expect(try reader.latestIndexEntry(dagName: "job")?.runId == "r4")
        #expect(try reader.latestIndexEntry(dagName: "other")?.runId == "o1")
    }

    @Test("a removed newest run folder falls back to the run before it")
    func removedRunFallsBack() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        try harness.create("job", "old")
        clock.advance(days: 1)
        try harness.create("job", "new")
        #expect(try store.latestIndexEntry(dagName: "job")?.runId == "new")
        let day = StoreFixtures.epoch.addingTimeInterval(86_400)
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: day)
        let folder = String(format: "%@/runs/job/%04d/%02d/%02d/new", store.dataDirectory, components.year!, components.month!, components.day!)
        try FileManager.default.removeItem(atPath: folder)
        #expect(try store.latestIndexEntry(dagName: "job")?.runId == "old")
    }

    @Test("once the folders are settled, a second call reads no index or run file")
    func cachedWhenSettled() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let run = try harness.create("job", "r1").run
        try harness.move(run, to: .succeeded)
        // Age every folder of the DAG past the coarse-clock margin.
        let root = store.dataDirectory + "/runs/job"
        let old = Date().addingTimeInterval(-60)
        for path in [root] + (FileManager.default.subpaths(atPath: root) ?? []).map({ root + "/" + $0 }) {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        }
        #expect(try store.latestIndexEntry(dagName: "job")?.runId == "r1")
        // Removing the run's header is invisible to the cache (it only stats the chain) ...
        let header = try #require(FileManager.default.subpaths(atPath: root)?.first { $0.hasSuffix("r1/run.json") })
        try FileManager.default.removeItem(atPath: root + "/" + header)
        #expect(try store.latestIndexEntry(dagName: "job")?.runId == "r1")
        // ... while any index line is seen at once.
        try FileManager.default.removeItem(atPath: root + "/" + header.replacingOccurrences(of: "r1/run.json", with: "index.jsonl"))
        #expect(try store.latestIndexEntry(dagName: "job") == nil)
    }

    @Test("an unsafe DAG name is refused")
    func unsafeName() throws {
        let harness = StoreKind.file.make(clock: TestClock())
        let store = try #require(harness.file)
        expectStoreError(.invalid) { _ = try store.latestIndexEntry(dagName: "../x") }
    }
}
