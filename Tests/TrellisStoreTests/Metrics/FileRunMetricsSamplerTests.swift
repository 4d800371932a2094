import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TrellisCore
@testable import TrellisStore

/// The run store's side of `GET /metrics` (API §3.3) over real files and real locks.
@Suite("Metrics sampler of the file store")
struct FileRunMetricsSamplerTests {
    private func harness() -> StoreHarness { StoreKind.file.make(clock: TestClock()) }

    private func queues(_ harness: StoreHarness) -> FileQueueStore {
        FileQueueStore(dataDirectory: harness.file!.dataDirectory, logger: StoreFixtures.quietLogger)
    }

    private func sampler(_ harness: StoreHarness) -> FileRunMetricsSampler {
        FileRunMetricsSampler(store: harness.file!, queues: queues(harness), now: harness.clock.now)
    }

    @Test("today's counts are the fold of today's global index, last line per run; a new sampler (restart) sees the same")
    func todayFold() throws {
        let h = harness()
        h.clock.advance(days: -1)
        try h.create("old", "y1")
        h.clock.advance(days: 1)
        try h.create("etl", "r1")
        try h.move(RunRef(name: "etl", id: "r1"), to: .running)
        try h.move(RunRef(name: "etl", id: "r1"), to: .succeeded)
        try h.create("etl", "r2")
        try h.move(RunRef(name: "etl", id: "r2"), to: .running)
        try h.move(RunRef(name: "etl", id: "r2"), to: .failed)
        try h.create("report", "r3", status: .queued)
        let first = sampler(h).sample(now: h.clock.now)
        #expect(first.todayByStatus == [.succeeded: 1, .failed: 1, .queued: 1])
        #expect(first.todayByDAG == ["etl": [.succeeded: 1, .failed: 1], "report": [.queued: 1]])
        let again = sampler(h).sample(now: h.clock.now)
        #expect(again.todayByStatus == first.todayByStatus)
        #expect(again.todayByDAG == first.todayByDAG)
    }

    @Test("an unchanged index file is not read again; a grown one only for its new lines")
    func cachedFold() throws {
        let h = harness()
        let sampler = sampler(h)
        try h.create("etl", "r1")
        try h.move(RunRef(name: "etl", id: "r1"), to: .running)
        #expect(sampler.sample(now: h.clock.now).todayByStatus == [.running: 1])
        // Same size, same inode, different bytes: a re-read would lose the run.
        let path = h.file!.dataDirectory + "/index/" + UTCDay.day(h.clock.now) + ".jsonl"
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(repeating: UInt8(ascii: "x"), count: size - 1))
        try handle.close()
        #expect(sampler.sample(now: h.clock.now).todayByStatus == [.running: 1])
        // Appended lines are applied to the kept fold.
        let append = try #require(FileHandle(forWritingAtPath: path))
        try append.seekToEnd()
        let entry = RunIndexEntry(runId: "r1", dag: "etl", status: .succeeded, createdAt: h.clock.now, startedAt: h.clock.now,
                                  finishedAt: h.clock.now, triggerType: .manual)
        try append.write(contentsOf: StoreJSON.line(entry, path: path))
        try append.close()
        #expect(sampler.sample(now: h.clock.now).todayByStatus == [.succeeded: 1])
    }

    @Test("durations of runs finished after the sampler started, each once; queue waits of dispatched runs")
    func observations() throws {
        let h = harness()
        try h.create("etl", "before")
        try h.move(RunRef(name: "etl", id: "before"), to: .running)
        h.clock.advance(seconds: 5)
        try h.move(RunRef(name: "etl", id: "before"), to: .succeeded)
        let sampler = sampler(h)
        #expect(sampler.sample(now: h.clock.now).finishedDurations.isEmpty)

        try h.create("etl", "after")
        try h.move(RunRef(name: "etl", id: "after"), to: .running)
        h.clock.advance(seconds: 42)
        try h.move(RunRef(name: "etl", id: "after"), to: .failed)
        let sample = sampler.sample(now: h.clock.now)
        #expect(sample.finishedDurations == [.init(dag: "etl", seconds: 42)])
        #expect(sample.queueWaits.isEmpty, "a direct start did not wait in a queue")
        #expect(sampler.sample(now: h.clock.now).finishedDurations.isEmpty, "observed once")

        // A dispatched run: queued at t, started at t + 7 s.
        let header = StoreFixtures.header("report", "q1", at: h.clock.now)
        var initial = StoreFixtures.snapshot(header, .queued)
        initial.queuedAt = h.clock.now
        try h.store.createRun(header, spec: StoreFixtures.spec, initial: initial)
        #expect(sampler.sample(now: h.clock.now).queueWaits.isEmpty)
        h.clock.advance(seconds: 7)
        try h.move(RunRef(name: "report", id: "q1"), to: .running)
        #expect(sampler.sample(now: h.clock.now).queueWaits == [.init(dag: "report", seconds: 7)])
        #expect(sampler.sample(now: h.clock.now).queueWaits.isEmpty, "observed once")
    }

    @Test("running = run lock held (probed without taking it); queued = open and claimed queue items")
    func runningAndQueued() throws {
        let h = harness()
        let sampler = sampler(h)
        let run = RunRef(name: "etl", id: "r1")
        try h.create("etl", "r1")
        try h.move(run, to: .running)
        #expect(sampler.sample(now: h.clock.now).runningByDAG.isEmpty, "status says running but nobody holds the lock")
        let lock = try #require(try h.store.tryLock(run))
        #expect(sampler.sample(now: h.clock.now).runningByDAG == ["etl": 1])
        lock.release()
        #expect(sampler.sample(now: h.clock.now).runningByDAG.isEmpty)
        // The probe never held the lock: it can be taken right after a sample.
        _ = sampler.sample(now: h.clock.now)
        let again = try #require(try h.store.tryLock(run))
        again.release()

        let queueStore = queues(h)
        try h.create("report", "q1", status: .queued)
        try h.create("report", "q2", status: .queued)
        try queueStore.append(QueueRecord(.enqueue, RunRef(name: "report", id: "q1"), at: h.clock.now), to: "report")
        try queueStore.append(QueueRecord(.enqueue, RunRef(name: "report", id: "q2"), at: h.clock.now), to: "report")
        try queueStore.append(QueueRecord(.claim, RunRef(name: "report", id: "q2"), at: h.clock.now), to: "report")
        #expect(sampler.sample(now: h.clock.now).queuedByDAG == ["report": 2])
        try queueStore.append(QueueRecord(.done, RunRef(name: "report", id: "q1"), at: h.clock.now), to: "report")
        #expect(sampler.sample(now: h.clock.now).queuedByDAG == ["report": 1])
    }

    @Test("scheduler running = some open file description holds the scheduler lock")
    func schedulerLock() throws {
        let h = harness()
        let sampler = sampler(h)
        #expect(!sampler.sample(now: h.clock.now).schedulerRunning)
        let leader = SchedulerLock(dataDirectory: h.file!.dataDirectory)
        #expect(try leader.tryAcquire())
        #expect(sampler.sample(now: h.clock.now).schedulerRunning)
        leader.release()
        #expect(!sampler.sample(now: h.clock.now).schedulerRunning)
        // Probing took nothing: a scheduler acquires at once.
        let next = SchedulerLock(dataDirectory: h.file!.dataDirectory)
        #expect(try next.tryAcquire())
        next.release()
    }

    @Test("/proc/locks lines: held FLOCK entries by inode; waiters and POSIX locks do not count")
    func lockTableParsing() {
        let table = FileLockTable(parsing: """
            1: POSIX  ADVISORY  WRITE 13605 fe:00:5309404 1073741824 1073742335
            2: FLOCK  ADVISORY  WRITE 14404 fe:00:16236621 0 EOF
            2: -> FLOCK  ADVISORY  WRITE 14500 fe:00:777 0 EOF
            3: OFDLCK ADVISORY  READ  -1 00:05:123 0 EOF
            garbage
            """)
        #expect(table.lockedInodes == [16_236_621])
    }

    @Test("an index tail returns complete new lines once, keeps a torn line, restarts on a replaced file")
    func indexTail() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/2026-11-29.jsonl"
        let date = StoreFixtures.epoch
        func line(_ id: String) throws -> Data {
            try StoreJSON.line(RunIndexEntry(runId: id, dag: "d", status: .queued, createdAt: date, triggerType: .manual), path: path)
        }
        var tail = IndexFileTail(path: path)
        #expect(try tail.readNew().entries.isEmpty, "missing file")
        try (try line("a") + line("b")).write(to: URL(fileURLWithPath: path))
        #expect(try tail.readNew().entries.map(\.runId) == ["a", "b"])
        #expect(try tail.readNew().entries.isEmpty)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        let third = try line("c")
        try handle.write(contentsOf: third.prefix(10))
        #expect(try tail.readNew().entries.isEmpty, "torn line")
        try handle.write(contentsOf: third.dropFirst(10))
        try handle.close()
        #expect(try tail.readNew().entries.map(\.runId) == ["c"])
        // Replaced by rename: a new inode, read from its start.
        try (try line("z")).write(to: URL(fileURLWithPath: path + ".tmp"))
        #expect(rename(path + ".tmp", path) == 0)
        let batch = try tail.readNew()
        #expect(batch.restarted)
        #expect(batch.entries.map(\.runId) == ["z"])
        // A tail from the end reads only later lines.
        var late = IndexFileTail.atEnd(of: path)
        #expect(try late.readNew().entries.isEmpty)
    }
}
