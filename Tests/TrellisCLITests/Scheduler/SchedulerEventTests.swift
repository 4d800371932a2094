import Foundation
import Testing
@testable import TrellisCLI
import TrellisCore
import TrellisStore

/// Events written by the scheduler's ticks (API §8.2): a queued start is the scheduler's, the
/// run agents it starts write theirs as `cli`.
@Suite("Scheduler service: events")
struct SchedulerEventTests {
    static let daily = "schedule: \"0 10 * * *\"\nsteps:\n  - {name: greet, command: 'echo hello'}\n"

    func entries(_ home: SchedulerHarness, _ run: RunRef) throws -> [EventLogEntry] {
        try FileEventReader(log: FileEventLog(dataDirectory: home.data, logger: home.logger))
            .page(EventQuery(filter: EventFilter(dagName: run.name, dagRunId: run.id))).entries
    }

    @Test("a tick that enqueues writes dag.run.queued as the scheduler, at queuedAt")
    func enqueued() async throws {
        let home = try SchedulerHarness(events: true)
        defer { home.remove() }
        try home.write("batchjob", "queue: batch\n" + Self.daily)
        let report = await home.service(queues: [QueueConfig(name: "batch", maxConcurrency: 2)]).tick(at: utc(10, 0))
        let run = try #require(report.enqueued.first)
        let snapshot = try #require(try home.store.latestSnapshot(of: run))
        let found = try entries(home, run)
        #expect(found.map(\.type) == ["dag.run.queued"])
        #expect(found.first?.sourceService == "scheduler")
        #expect(found.first?.occurredAt == snapshot.queuedAt.map(EventTime.milliseconds))
        #expect(found.first?.data?["dag_run_status"]?["proc_group"] == "batch")
    }

    @Test("a tick that starts a run: its agent writes running and succeeded as cli", .timeLimit(.minutes(2)))
    func started() async throws {
        let home = try SchedulerHarness(events: true)
        defer { home.remove() }
        try home.write("daily", Self.daily)
        let report = await home.service().tick(at: utc(10, 0, 1))
        let run = try #require(report.started.first)
        try await home.finished(run)
        let found = try await eventually("the agent's events") { () -> [EventLogEntry]? in
            let found = try entries(home, run)
            return found.count == 2 ? found : nil
        }
        #expect(found.map(\.type) == ["dag.run.succeeded", "dag.run.running"])
        #expect(found.allSatisfy { $0.sourceService == "cli" })
    }
}
