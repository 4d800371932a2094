import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// §17.3: old runs go with their pointers and index lines; active and locked runs stay.
@Suite("Retention")
struct RetentionTests {
    private func ids(_ runs: [RunRef]) -> Set<String> { Set(runs.map(\.id)) }

    @Test("deletes old finished runs, keeps active, locked and recent ones")
    func deletesOldRuns() throws {
        let clock = TestClock(StoreFixtures.epoch.addingTimeInterval(-400 * 86_400))
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let older = try harness.create("job", "older").run
        try harness.move(older, to: .succeeded)
        clock.advance(days: 360)
        let done = try harness.create("job", "old-done").run
        try harness.move(done, to: .succeeded)
        let child = try harness.create("sub", "c1", parent: done).run
        try harness.move(child, to: .succeeded)
        let active = try harness.create("job", "old-active").run
        try harness.move(active, to: .running)
        let queued = try harness.create("job", "old-queued", status: .queued).run
        let locked = try harness.create("job", "old-locked").run
        try harness.move(locked, to: .failed)
        try harness.create("other", "foreign")
        clock.advance(days: 39)
        let recent = try harness.create("job", "recent").run
        try harness.move(recent, to: .aborted)
        clock.advance(days: 1)
        let lock = try #require(try store.tryLock(locked))

        let planned = store.deleteRuns(dagName: "job", olderThanDays: 30, now: clock.now, dryRun: true)
        #expect(ids(planned) == ["older", "old-done"])
        #expect(try store.header(of: older) != nil && store.header(of: child) != nil)

        let deleted = store.deleteRuns(dagName: "job", olderThanDays: 30, now: clock.now, dryRun: false)
        #expect(ids(deleted) == ["older", "old-done"])
        for gone in [older, done, child] {
            #expect(try store.header(of: gone) == nil, "\(gone)")
            #expect(!FileManager.default.fileExists(atPath: store.layout.pointerPath(gone)), "\(gone)")
        }
        for kept in [active, queued, locked, recent, RunRef(name: "other", id: "foreign")] {
            #expect(try store.header(of: kept) != nil, "\(kept)")
        }
        #expect(!FileManager.default.fileExists(atPath: store.layout.dagDirectory("job") + "/2025"))
        let oldDay = UTCDay.day(StoreFixtures.epoch.addingTimeInterval(-40 * 86_400))
        let folded = try DayIndex.fold(fileAt: store.layout.dagIndexPath(dag: "job", day: oldDay))
        #expect(Set(folded.map(\.runId)) == ["old-active", "old-queued", "old-locked"])
        let listed = try store.runs(dagName: nil, limit: 50, cursor: nil).entries.map(\.runId)
        #expect(listed == ["recent", "old-active", "old-locked", "old-queued", "foreign"])
        // The global index of that day lost the deleted run's lines, and only them.
        let global = try DayIndex.fold(fileAt: store.layout.globalIndexPath(day: oldDay))
        #expect(Set(global.map(\.runId)) == ["old-active", "old-queued", "old-locked", "foreign"])
        let oldest = UTCDay.day(StoreFixtures.epoch.addingTimeInterval(-400 * 86_400))
        #expect(!FileManager.default.fileExists(atPath: store.layout.globalIndexPath(day: oldest)), "its only run went")

        lock.release()
        let everything = store.deleteRuns(dagName: "job", olderThanDays: 0, now: clock.now, dryRun: false)
        #expect(ids(everything) == ["old-locked", "recent"])
        #expect(try store.runs(dagName: "job", limit: 50, cursor: nil).entries.map(\.runId) == ["old-active", "old-queued"])
        try harness.create("job", "old-done")
        #expect(try store.header(of: done)?.createdAt == clock.now, "a deleted run ID can be used again")
    }

    @Test("a day whose runs all go loses its folder, index included")
    func removesEmptyFolders() throws {
        let clock = TestClock(StoreFixtures.epoch.addingTimeInterval(-10 * 86_400))
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        for index in 0..<3 {
            try harness.move(try harness.create("job", "r\(index)").run, to: .succeeded)
        }
        clock.advance(days: 10)
        let kept = try harness.create("job", "today").run
        #expect(store.deleteRuns(dagName: "job", olderThanDays: 5, now: clock.now, dryRun: false).count == 3)
        let month = store.layout.dagDirectory("job") + "/2026/11"
        #expect(try FileManager.default.contentsOfDirectory(atPath: month) == ["29"])
        #expect(try store.runs(dagName: "job", limit: 10, cursor: nil).entries.map(\.run) == [kept])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.layout.pointerDirectory("job")) == ["today"])
    }
}
