import Foundation
import Testing
@testable import TrellisCLI
import TrellisCore
import TrellisStore

/// The scheduler service over real files and real run agents, with the ticks driven by the test
/// (§15.2–§15.4).
@Suite("Scheduler service: ticks")
struct SchedulerServiceTests {
    static let daily = "schedule: \"0 10 * * *\"\nsteps:\n  - {name: greet, command: 'echo hello'}\n"

    @Test("a due cron starts exactly one run with trigger scheduler and its slot")
    func dueCronStartsOneRun() async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        try home.write("daily", Self.daily)
        let report = await home.service().tick(at: utc(10, 0, 1))
        #expect(report.started.count == 1)
        #expect(report.failed.isEmpty, "\(report.failed)")
        let runs = try home.runs("daily")
        #expect(runs.count == 1)
        let run = try #require(runs.first).run
        let header = try #require(try home.store.header(of: run))
        #expect(header.triggerType == .scheduler)
        #expect(header.scheduleTime == utc(10, 0))
        let final = try await home.finished(run)
        #expect(final.status == .succeeded)
        #expect(final.scheduleTime == utc(10, 0))
    }

    @Test("replaying a tick after a restart starts nothing, with or without the state file")
    func replayStartsNothing() async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        try home.write("daily", Self.daily)
        let first = await home.service().tick(at: utc(10, 0))
        let run = try #require(first.started.first)
        try await home.finished(run)
        // Restart: a new service reads lastTick from the state file.
        let replay = await home.service().tick(at: utc(10, 0, 30))
        #expect(replay.started.isEmpty && replay.enqueued.isEmpty)
        // Lost state: the latest run's scheduleTime still guards the slot.
        try FileManager.default.removeItem(atPath: home.stateFile.path)
        let again = await home.service().tick(at: utc(10, 0, 40))
        #expect(again.started.isEmpty && again.enqueued.isEmpty)
        #expect(try home.runs("daily").count == 1)
    }

    @Test("a suspended DAG fires nothing")
    func suspendedFiresNothing() async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        try home.write("daily", Self.daily)
        try home.catalog.suspend(fileName: "daily", true)
        let report = await home.service().tick(at: utc(10, 0))
        #expect(report.started.isEmpty && report.enqueued.isEmpty)
        #expect(try home.runs("daily").isEmpty)
    }

    @Test("a one-off fires once, with its deterministic run ID")
    func oneOffFiresOnce() async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        try home.write("once", """
            schedule:
              start:
                - at: "2030-01-07T10:05:00+00:00"
            steps:
              - {name: greet, command: 'echo hello'}
            """)
        let service = home.service()
        let before = await service.tick(at: utc(10, 4))
        #expect(before.started.isEmpty)
        let due = await service.tick(at: utc(10, 5))
        let run = try #require(due.started.first)
        #expect(due.started.count == 1)
        #expect(run.id.hasPrefix("oneoff-once-"))
        try await home.finished(run)
        let header = try #require(try home.store.header(of: run))
        #expect(header.triggerType == .scheduler)
        #expect(header.scheduleTime == utc(10, 5))
        let after = await home.service().tick(at: utc(10, 6))
        #expect(after.started.isEmpty)
        let later = await home.service().tick(at: utc(11, 0))
        #expect(later.started.isEmpty)
        #expect(try home.runs("once").count == 1)
        guard case .valid(let state) = try home.stateFile.read() else {
            Issue.record("state file not valid")
            return
        }
        #expect(state.dags["once"]?.oneOffs.values.map(\.status) == [.consumed])
    }

    @Test("a DAG on a global queue is enqueued, not started")
    func globalQueueIsEnqueued() async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        try home.write("batchjob", "queue: batch\n" + Self.daily)
        let report = await home.service(queues: [QueueConfig(name: "batch", maxConcurrency: 2)]).tick(at: utc(10, 0))
        #expect(report.started.isEmpty)
        let run = try #require(report.enqueued.first)
        let snapshot = try #require(try home.store.latestSnapshot(of: run))
        #expect(snapshot.status == .queued)
        #expect(snapshot.queue == "batch")
        #expect(snapshot.triggerType == .scheduler)
        #expect(snapshot.scheduleTime == utc(10, 0))
        // Queued counts as active: the next slot is not enqueued on top of it.
        try home.write("batchjob", "queue: batch\nschedule: \"* * * * *\"\nsteps:\n  - {name: greet, command: 'echo hello'}\n")
        let next = await home.service(queues: [QueueConfig(name: "batch", maxConcurrency: 2)]).tick(at: utc(10, 1))
        #expect(next.enqueued.isEmpty && next.started.isEmpty)
    }

    @Test("the state file is written each tick and a corrupt one is replaced")
    func stateFileWrittenAndCorruptReplaced() async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        try home.write("daily", Self.daily)
        await home.service().tick(at: utc(9, 58))
        guard case .valid(let first) = try home.stateFile.read() else {
            Issue.record("no valid state after a tick")
            return
        }
        #expect(first.lastTick == utc(9, 58))
        #expect(first.dags["daily"] != nil)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: home.stateFile.path))
        #expect(try home.stateFile.load() == SchedulerState())
        await home.service().tick(at: utc(9, 59))
        guard case .valid(let second) = try home.stateFile.read() else {
            Issue.record("corrupt state was not replaced")
            return
        }
        #expect(second.lastTick == utc(9, 59))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.data + "/scheduler")
        #expect(leftovers.filter { $0.contains(".tmp") }.isEmpty)
    }

    @Test("a due stop schedule stops the running run")
    func stopScheduleStops() async throws {
        try await stopScheduleCase(listing: nil)
    }

    @Test("a due stop schedule stops a run whose index line still says not started")
    func stopScheduleTrustsTheRun() async throws {
        // The agent records `running` in the run before the index line that says so.
        try await stopScheduleCase(listing: { LaggingIndexReader(store: $0.store) })
    }

    /// A DAG started at 10:00 and stopped at 10:05 by its schedule; the 10:05 tick reads runs
    /// through `listing` (the store when nil). The step sleeps long so that a slow machine cannot
    /// let the run end before the stop.
    private func stopScheduleCase(listing: ((SchedulerHarness) -> any RunReader)?) async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        try home.write("long", """
            schedule:
              start: "0 10 * * *"
              stop: "5 10 * * *"
            steps:
              - {name: wait, command: 'sleep 300'}
            """)
        let started = await home.service().tick(at: utc(10, 0))
        let run = try #require(started.started.first)
        let stopped = await home.service(runs: listing?(home)).tick(at: utc(10, 5))
        #expect(stopped.stopped == [run])
        let final = try await home.finished(run)
        #expect(final.status == .aborted)
    }
}

/// The store, with every listed run still `not_started` in the index.
private struct LaggingIndexReader: RunReader {
    let store: FileRunStore

    func header(of run: RunRef) throws(StoreError) -> RunHeader? { try store.header(of: run) }
    func spec(of run: RunRef) throws(StoreError) -> String? { try store.spec(of: run) }
    func latestSnapshot(of run: RunRef) throws(StoreError) -> RunSnapshot? { try store.latestSnapshot(of: run) }
    func runs(dagName: String?, limit: Int, cursor: String?) throws(StoreError) -> RunPage {
        var page = try store.runs(dagName: dagName, limit: limit, cursor: cursor)
        for index in page.entries.indices { page.entries[index].status = .notStarted }
        return page
    }
}
