import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// The on-disk shape (§17) and the index lines written on lifecycle changes (§17.2).
@Suite("File layout and indexes")
struct FileLayoutTests {
    private func lines(_ path: String) throws -> [RunIndexEntry] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return LineScanner.records(RunIndexEntry.self, in: data)
    }

    @Test("folders, pointer, attempt names and JSON form")
    func layout() throws {
        let clock = TestClock(StoreFixtures.epoch.addingTimeInterval(0.25))
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let run = try harness.create("build", "r1").run
        let data = harness.directory.path + "/data"
        let folder = data + "/runs/build/2026/11/29/r1"
        let paths = store.paths(of: run, attemptId: "")
        #expect(paths.runDirectory == folder)
        #expect(try String(contentsOfFile: data + "/runs/build/by-id/r1", encoding: .utf8) == "build/2026/11/29/r1\n")
        for name in ["run.json", "spec.yaml", "work", "children", "attempts"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name)")
        }
        let attempts = try FileManager.default.contentsOfDirectory(atPath: folder + "/attempts")
        let attempt = try #require(attempts.first)
        #expect(attempts.count == 1 && attempt.hasPrefix("20261129T120000250Z_") && attempt.count == 28)
        #expect(paths.stepLogDirectory == folder + "/attempts/" + attempt + "/steps")
        let header = try String(contentsOfFile: folder + "/run.json", encoding: .utf8)
        #expect(header.contains("\"createdAt\":\"2026-11-29T12:00:00.250Z\""))
        #expect(header.hasSuffix("}\n") && !header.contains("\\/"))
        let status = try String(contentsOfFile: folder + "/attempts/" + attempt + "/status.jsonl", encoding: .utf8)
        #expect(status.contains("\"log\":\"\(folder)/run.log\""))
        #expect(FileManager.default.fileExists(atPath: data + "/index/2026-11-29.jsonl"))
        #expect(FileManager.default.fileExists(atPath: data + "/runs/build/2026/11/29/index.jsonl"))

        let child = try harness.create("sub", "c1", parent: run).run
        #expect(store.paths(of: child, attemptId: "").runDirectory == folder + "/children/c1")
        #expect(try String(contentsOfFile: data + "/runs/sub/by-id/c1", encoding: .utf8) == "build/2026/11/29/r1/children/c1\n")
        #expect(!FileManager.default.fileExists(atPath: data + "/runs/sub/2026"))

        try store.requestCancel(run)
        #expect(try store.isCancelRequested(run))
        try store.clearCancel(run)
        try store.clearCancel(run)
        #expect(try !store.isCancelRequested(run))
        try store.requestCancel(run)
        var retry = try #require(try store.latestSnapshot(of: run))
        retry.status = .failed
        try store.append(retry, durability: .synced)
        retry.status = .running
        _ = try store.startAttempt(retry)
        #expect(try !store.isCancelRequested(run), "a new attempt clears the cancel request")

        try store.writeOutputs([], for: run)
        #expect(!FileManager.default.fileExists(atPath: folder + "/outputs.json"), "no output, no file")
        #expect(try store.outputs(of: run)?.isEmpty ?? true)
        try store.writeOutputs([("zeta", "1"), ("alpha", "a/b \"q\"")], for: run)
        #expect(try store.outputs(of: run).map { $0.map { "\($0.0)=\($0.1)" } } == ["zeta=1", "alpha=a/b \"q\""])
        #expect(try String(contentsOfFile: folder + "/outputs.json", encoding: .utf8) == "{\"zeta\":\"1\",\"alpha\":\"a/b \\\"q\\\"\"}\n")

        try store.writeOutputs([], for: run)
        #expect(try String(contentsOfFile: folder + "/outputs.json", encoding: .utf8) == "{}\n", "an earlier attempt's outputs are replaced")
    }

    @Test("index lines at creation and on lifecycle changes only; the fold is the last line per run")
    func lifecycleLines() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let run = try harness.create("build", "r1", status: .queued).run
        let other = try harness.create("build", "r2").run
        try harness.move(run, to: .queued)
        try harness.move(run, to: .running, durability: .batched)
        var snapshot = try #require(try store.latestSnapshot(of: run))
        snapshot.nodes[0].status = .running
        try store.append(snapshot, durability: .batched)
        try harness.move(run, to: .running)
        // A fresh instance has no cached status and reads it from the file.
        let second = FileRunStore(dataDirectory: store.dataDirectory, now: clock.function, logger: StoreFixtures.quietLogger)
        var final = try #require(try second.latestSnapshot(of: run))
        final.status = .succeeded
        try second.append(final, durability: .synced)
        try second.append(final, durability: .synced)
        final.status = .running
        _ = try second.startAttempt(final)
        let child = try harness.create("sub", "c1", parent: run).run
        try harness.move(child, to: .running)
        try store.flush()

        let day = UTCDay.day(StoreFixtures.epoch)
        for path in [store.layout.dagIndexPath(dag: "build", day: day), store.layout.globalIndexPath(day: day)] {
            let all = try lines(path)
            #expect(all.filter { $0.runId == "r1" }.map(\.status) == [.queued, .running, .succeeded, .running], "\(path)")
            #expect(all.filter { $0.runId == "r2" }.map(\.status) == [.notStarted])
            #expect(!all.contains { $0.dag == "sub" })
            #expect(DayIndex.fold(all).map(\.status) == [.running, .notStarted])
            #expect(DayIndex.fold(all).map(\.run) == [run, other])
        }
    }

    @Test("a page reads only the day files it needs")
    func pageCostsOnlyItsDays() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        for day in 0..<6 {
            try harness.create("job", "r\(day)")
            clock.advance(days: 1)
        }
        let oldest = UTCDay.day(StoreFixtures.epoch)
        for path in [store.layout.globalIndexPath(day: oldest), store.layout.dagIndexPath(dag: "job", day: oldest)] {
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        for dagName in [nil, "job"] as [String?] {
            let first = try store.runs(dagName: dagName, limit: 2, cursor: nil)
            #expect(first.entries.map(\.runId) == ["r5", "r4"])
            let second = try store.runs(dagName: dagName, limit: 2, cursor: first.nextCursor)
            #expect(second.entries.map(\.runId) == ["r3", "r2"])
            #expect(throws: StoreError.self) { try store.runs(dagName: dagName, limit: 2, cursor: second.nextCursor) }
        }
    }

    @Test("the flusher syncs batched appends and close() leaves the store usable")
    func batchedThenClosed() throws {
        let harness = StoreKind.file.make(clock: TestClock())
        let store = try #require(harness.file)
        let run = try harness.create("build", "r1").run
        for status in [RunStatus.running, .running, .running] {
            try harness.move(run, to: status, durability: .batched)
        }
        try store.flush()
        store.close()
        try harness.move(run, to: .succeeded, durability: .batched)
        #expect(try store.latestSnapshot(of: run)?.status == .succeeded)
        try store.flush()
    }
}
