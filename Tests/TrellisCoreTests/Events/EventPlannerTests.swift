import Foundation
import Testing
@testable import TrellisCore

@Suite("Event planner and IDs (API §8.2)")
struct EventPlannerTests {
    static let created = Date(timeIntervalSince1970: 1_764_387_000)
    static let now = Date(timeIntervalSince1970: 1_764_387_900.25)

    static func snapshot(_ status: RunStatus, attempt: String = "att1") -> RunSnapshot {
        let header = RunHeader(run: RunRef(name: "etl", id: "r1"), createdAt: created, triggerType: .manual, queue: "etl")
        var failing = NodeRecord(name: "b", status: .failed)
        failing.error = "exit status 1"
        var snapshot = RunSnapshot(header: header, attemptId: attempt, status: status, log: "/d/run.log",
                                   nodes: [NodeRecord(name: "a", status: .succeeded), failing],
                                   handlers: ["onExit": NodeRecord(name: "onExit", status: .succeeded)])
        snapshot.queuedAt = created.addingTimeInterval(1)
        snapshot.startedAt = created.addingTimeInterval(2)
        if !status.isActive, status != .notStarted { snapshot.finishedAt = created.addingTimeInterval(3) }
        return snapshot
    }

    static func context(_ source: EventSource = .cli) -> EventContext {
        EventContext(source: source, instance: "host:42", now: now, updateToken: "feed")
    }

    static func ms(_ date: Date) -> Int64 { EventTime.milliseconds(date) }

    static let rows: [(String, RunStatus?, RunStatus, String?, Date?)] = [
        ("new queued run", nil, .queued, "dag.run.queued", created.addingTimeInterval(1)),
        ("new not-started run", nil, .notStarted, nil, nil),
        ("queued → running", .queued, .running, "dag.run.running", created.addingTimeInterval(2)),
        ("not started → running", .notStarted, .running, "dag.run.running", created.addingTimeInterval(2)),
        ("running → running (a step changed)", .running, .running, nil, nil),
        ("queued again", .queued, .queued, nil, nil),
        ("running → succeeded", .running, .succeeded, "dag.run.succeeded", created.addingTimeInterval(3)),
        ("running → partially succeeded", .running, .partiallySucceeded, "dag.run.succeeded", created.addingTimeInterval(3)),
        ("running → failed", .running, .failed, "dag.run.failed", created.addingTimeInterval(3)),
        ("queued → aborted (dequeue)", .queued, .aborted, "dag.run.aborted", created.addingTimeInterval(3)),
        ("failed → failed (patch)", .failed, .failed, "dag.run.updated", now),
        ("partially succeeded → succeeded (patch)", .partiallySucceeded, .succeeded, "dag.run.updated", now),
        ("failed → succeeded (patch)", .failed, .succeeded, "dag.run.succeeded", created.addingTimeInterval(3)),
        ("running → waiting", .running, .waiting, nil, nil),
    ]

    @Test("one event per lifecycle change", arguments: rows)
    func table(_ label: String, previous: RunStatus?, status: RunStatus, type: String?, occurred: Date?) {
        let event = EventPlanner.event(previous: previous, snapshot: Self.snapshot(status), context: Self.context())
        #expect(event?.type == type, "\(label)")
        if let occurred { #expect(event?.occurredAt == Self.ms(occurred), "\(label)") }
        if let event {
            #expect(event.recordedAt == Self.ms(Self.now))
            #expect(event.status == status.label)
            #expect(event.kind == "dag_run")
            #expect(event.schemaVersion == 1)
            #expect(event.sourceService == "cli")
            #expect(event.sourceInstance == "host:42")
            #expect(event.dagName == "etl" && event.dagRunId == "r1" && event.attemptId == "att1")
        }
    }

    @Test("a final event without finishedAt falls back to startedAt, then queuedAt")
    func finalFallback() {
        var snapshot = Self.snapshot(.failed)
        snapshot.finishedAt = nil
        #expect(EventPlanner.event(previous: .running, snapshot: snapshot, context: Self.context())?.occurredAt
            == Self.ms(Self.created.addingTimeInterval(2)))
        snapshot.startedAt = nil
        #expect(EventPlanner.event(previous: .queued, snapshot: snapshot, context: Self.context())?.occurredAt
            == Self.ms(Self.created.addingTimeInterval(1)))
    }

    @Test("stable IDs are dag_ + hex SHA-256 of type|dagName|dagRunId|attemptId; updated IDs are random")
    func ids() {
        let event = EventPlanner.event(previous: .running, snapshot: Self.snapshot(.succeeded), context: Self.context())
        let expected = "dag_" + EventID.hex(SHA256.hash(Array("dag.run.succeeded|etl|r1|att1".utf8)))
        #expect(event?.id == expected)
        #expect(expected.count == 4 + 64)
        // Another writer (another source, another time) writes the same ID for the same transition.
        let replay = EventPlanner.event(previous: .running, snapshot: Self.snapshot(.succeeded),
                                        context: EventContext(source: .server, instance: nil, now: Date(), updateToken: "x"))
        #expect(replay?.id == expected)
        // Another attempt → another ID.
        #expect(EventPlanner.event(previous: .running, snapshot: Self.snapshot(.succeeded, attempt: "att2"),
                                   context: Self.context())?.id != expected)
        let updated = EventPlanner.event(previous: .failed, snapshot: Self.snapshot(.failed), context: Self.context())
        #expect(updated?.id == "dag_update_feed")
        let token = EventID.randomToken()
        #expect(token.count == 32 && token != EventID.randomToken())
    }

    @Test("data is {dag_run_status: …} in snake_case")
    func data() throws {
        var snapshot = Self.snapshot(.failed)
        snapshot.error = "boom"
        snapshot.parent = RunRef(name: "parent", id: "p1")
        snapshot.root = RunRef(name: "root", id: "r0")
        let event = try #require(EventPlanner.event(previous: .running, snapshot: snapshot, context: Self.context()))
        let status = try #require(event.data?["dag_run_status"])
        #expect(status["root"] == ["name": "root", "dag_run_id": "r0"])
        #expect(status["parent"] == ["name": "parent", "dag_run_id": "p1"])
        #expect(status["name"] == "etl")
        #expect(status["dag_run_id"] == "r1")
        #expect(status["attempt_id"] == "att1")
        #expect(status["proc_group"] == "etl")
        #expect(status["status"] == 2)
        #expect(status["error"] == "boom")
        #expect(status["log"] == "/d/run.log")
        #expect(status["queued_at"] == .string(Timestamps.rfc3339(Self.created.addingTimeInterval(1))))
        #expect(status["started_at"] == .string(Timestamps.rfc3339(Self.created.addingTimeInterval(2))))
        #expect(status["finished_at"] == .string(Timestamps.rfc3339(Self.created.addingTimeInterval(3))))
        #expect(status["nodes"] == [["step_name": "a", "status": 4], ["step_name": "b", "status": 2, "error": "exit status 1"]])
        #expect(status["on_exit"] == ["step_name": "onExit", "status": 4])
        #expect(status["on_failure"] == nil)
    }

    @Test("an entry survives its JSON line; data comes last")
    func roundTrip() throws {
        let event = try #require(EventPlanner.event(previous: nil, snapshot: Self.snapshot(.queued), context: Self.context()))
        let line = event.line
        #expect(line.hasSuffix("}\n"))
        #expect(EventLogEntry(line: line) == event)
        let keys = try #require(JSONValue.parse(line).objectValue?.keys)
        #expect(keys == ["id", "schemaVersion", "occurredAt", "recordedAt", "kind", "type", "sourceService", "sourceInstance",
                         "dagName", "dagRunId", "attemptId", "status", "data"])
        #expect(EventLogEntry(line: "{\"id\":\"x\"") == nil)
    }
}
