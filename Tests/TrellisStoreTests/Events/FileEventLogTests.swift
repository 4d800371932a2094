import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

@Suite("File event log: writes by the run store, day files, reader, retention (API §8)")
struct FileEventLogTests {
    let directory = TemporaryDirectory()
    let clock = TestClock()

    var log: FileEventLog { FileEventLog(dataDirectory: directory.path, logger: StoreFixtures.quietLogger) }

    func store(_ source: EventSource = .cli) -> FileRunStore {
        FileRunStore(dataDirectory: directory.path, now: clock.function, logger: StoreFixtures.quietLogger,
                     events: EventRecorder(log: log, source: source, instance: "test:1", now: clock.function))
    }

    /// Every stored entry, in file order (day files oldest first).
    func stored() throws -> [EventLogEntry] {
        try log.days().reversed().flatMap { day in
            try String(contentsOfFile: log.path(day: day), encoding: .utf8).split(separator: "\n").compactMap { EventLogEntry(line: String($0)) }
        }
    }

    static func entry(_ id: String, at ms: Int64, dag: String = "d") -> EventLogEntry {
        EventLogEntry(id: id, occurredAt: ms, recordedAt: ms, type: "dag.run.running", sourceService: "cli", dagName: dag,
                      dagRunId: "r", attemptId: "t", status: "running", data: ["dag_run_status": ["status": 1]])
    }

    @Test("queued, running, succeeded and a patch's updated are written by the store that persisted them")
    func lifecycle() throws {
        let header = StoreFixtures.header("etl", "r1", at: clock.now)
        var snapshot = StoreFixtures.snapshot(header, .queued)
        snapshot.queuedAt = clock.now
        let writer = store(.server)
        try writer.createRun(header, spec: "steps:\n  - name: a\n    command: 'true'\n  - name: b\n    command: 'true'\n", initial: snapshot)
        clock.advance(seconds: 1)
        let agent = store(.cli)
        snapshot.status = .running
        snapshot.startedAt = clock.now
        try agent.append(snapshot, durability: .synced)
        try agent.append(snapshot, durability: .batched)
        clock.advance(seconds: 1)
        snapshot.status = .failed
        snapshot.finishedAt = clock.now
        snapshot.nodes[0].status = .failed
        snapshot.nodes[1].status = .succeeded
        try agent.append(snapshot, durability: .synced)
        clock.advance(seconds: 1)
        _ = try writer.patchNodeStatus(RunRef(name: "etl", id: "r1"), node: "b", status: .failed)
        let entries = try stored()
        #expect(entries.map(\.type) == ["dag.run.queued", "dag.run.running", "dag.run.failed", "dag.run.updated"])
        #expect(entries.map(\.sourceService) == ["server", "cli", "cli", "server"])
        #expect(entries.allSatisfy { $0.sourceInstance == "test:1" && $0.dagName == "etl" && $0.dagRunId == "r1" })
        #expect(Set(entries.map(\.attemptId)).count == 1)
        #expect(entries[2].occurredAt == EventTime.milliseconds(snapshot.finishedAt!))
        #expect(entries[3].id.hasPrefix("dag_update_"))
        #expect(entries[3].occurredAt == EventTime.milliseconds(clock.now))
        #expect(try log.days() == ["2026-11-29"])
    }

    @Test("a retry's new attempt: no event for its copied first snapshot, then running and its outcome with the new attempt ID")
    func retry() throws {
        let header = StoreFixtures.header("etl", "r1", at: clock.now)
        let agent = store()
        try agent.createRun(header, spec: "", initial: StoreFixtures.snapshot(header))
        var snapshot = try #require(try agent.latestSnapshot(of: header.run))
        snapshot.status = .running
        snapshot.startedAt = clock.now
        try agent.append(snapshot, durability: .synced)
        snapshot.status = .failed
        snapshot.finishedAt = clock.now
        try agent.append(snapshot, durability: .synced)
        clock.advance(seconds: 5)
        var retry = snapshot
        retry.finishedAt = nil
        var started = try agent.startAttempt(retry)
        #expect(try stored().map(\.type) == ["dag.run.running", "dag.run.failed"])
        started.status = .running
        started.startedAt = clock.now
        try agent.append(started, durability: .synced)
        started.status = .failed
        started.finishedAt = clock.now
        try agent.append(started, durability: .synced)
        let entries = try stored()
        #expect(entries.map(\.type) == ["dag.run.running", "dag.run.failed", "dag.run.running", "dag.run.failed"])
        #expect(entries[2].attemptId == started.attemptId && entries[0].attemptId != started.attemptId)
        #expect(Set(entries.map(\.id)).count == 4)
    }

    @Test("no recorder, no events")
    func disabled() throws {
        let plain = FileRunStore(dataDirectory: directory.path, now: clock.function, logger: StoreFixtures.quietLogger)
        let header = StoreFixtures.header("etl", "r1", at: clock.now)
        try plain.createRun(header, spec: "", initial: StoreFixtures.snapshot(header, .queued))
        #expect(try log.days().isEmpty)
    }

    @Test("a failing event write is logged and never fails the run write")
    func failureIsNotFatal() throws {
        // A plain file where the events folder should be.
        #expect(FileManager.default.createFile(atPath: directory.path + "/events", contents: Data("x".utf8)))
        let header = StoreFixtures.header("etl", "r1", at: clock.now)
        try store().createRun(header, spec: "", initial: StoreFixtures.snapshot(header, .queued))
        #expect(try store().latestSnapshot(of: header.run)?.status == .queued)
    }

    @Test("the reader pages across day files newest first, skips torn lines, de-duplicates, and sees appends")
    func reader() throws {
        let day: Int64 = 86_400_000
        let base = EventTime.startOfDay("2026-11-27")!
        for index in 0..<30 {
            try log.append(Self.entry("e\(index)", at: base + Int64(index) * day / 10), durability: .batched)
        }
        try log.append(Self.entry("e3", at: base + 3 * day / 10), durability: .batched)
        // A torn tail in the newest file.
        let newest = log.path(day: "2026-11-29")
        let handle = try #require(FileHandle(forWritingAtPath: newest))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"torn\",\"occurredAt\":\"2026-11-29T23:00:00".utf8))
        try handle.close()
        #expect(try log.days() == ["2026-11-29", "2026-11-28", "2026-11-27"])

        let reader = FileEventReader(log: log)
        let all = try reader.page(EventQuery(limit: 500))
        #expect(all.total == 30)
        #expect(all.entries.map(\.id) == (0..<30).reversed().map { "e\($0)" })
        #expect(all.entries.first?.data == ["dag_run_status": ["status": 1]])

        for limit in [1, 4, 10, 29, 30] {
            var seen: [String] = []
            var after: EventPosition?
            repeat {
                let page = try reader.page(EventQuery(limit: limit, pagination: .cursor(after: after)))
                seen += page.entries.map(\.id)
                after = page.next
            } while after != nil
            #expect(seen == all.entries.map(\.id), "limit \(limit)")
            // A fresh reader (cold cache) walks the same way.
            seen = []
            repeat {
                let page = try FileEventReader(log: log).page(EventQuery(limit: limit, pagination: .cursor(after: after)))
                seen += page.entries.map(\.id)
                after = page.next
            } while after != nil
            #expect(seen == all.entries.map(\.id), "cold, limit \(limit)")
        }

        try log.append(Self.entry("late", at: base + 3 * day - 1, dag: "other"), durability: .synced)
        // Appends to an older day file and a replayed ID, after the merged list was built.
        try log.append(Self.entry("older", at: base + day / 2, dag: "other"), durability: .synced)
        try log.append(Self.entry("e5", at: base + 5 * day / 10), durability: .synced)
        let grown = try reader.page(EventQuery(limit: 500))
        #expect(grown.total == 32)
        let rebuilt = try FileEventReader(log: log).page(EventQuery(limit: 500))
        #expect(grown.entries.map(\.id) == rebuilt.entries.map(\.id))
        #expect(grown.entries.first?.id == "late")
        #expect(grown.entries.filter { $0.id == "e5" }.count == 1)
        let filtered = try reader.page(EventQuery(filter: EventFilter(dagName: "other"), limit: 10))
        #expect(filtered.entries.map(\.id) == ["late", "older"])
        #expect(filtered.total == 2)
        let window = try reader.page(EventQuery(filter: EventFilter(startTime: base + day, endTime: base + 2 * day - 1), limit: 50))
        #expect(window.entries.map(\.id) == (10..<20).reversed().map { "e\($0)" })
        let windowCursor = try reader.page(EventQuery(filter: EventFilter(startTime: base + 2 * day), limit: 50,
                                                      pagination: .cursor(after: nil)))
        #expect(windowCursor.entries.map(\.id) == ["late"] + (20..<30).reversed().map { "e\($0)" })
    }

    @Test("retention removes day files older than retention_days")
    func retention() throws {
        for day in ["2026-10-29", "2026-10-30", "2026-11-28"] {
            try log.append(Self.entry(day, at: EventTime.startOfDay(day)!), durability: .batched)
        }
        #expect(FileManager.default.createFile(atPath: log.directory + "/notes.txt", contents: nil))
        let removed = try log.removeExpired(retentionDays: 30, now: clock.now)
        #expect(removed == ["2026-10-29"])
        #expect(try log.days() == ["2026-11-28", "2026-10-30"])
        #expect(FileManager.default.fileExists(atPath: log.directory + "/notes.txt"))
    }
}
