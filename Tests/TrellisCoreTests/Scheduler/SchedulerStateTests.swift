import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: state reconciliation (§15.4)")
struct SchedulerStateTests {
    typealias F = SchedulerFixture
    static let oneOff = "2026-03-29T10:00:00Z"
    static let oneOffID = "at:2026-03-29T10:00:00Z"

    @Test("a one-off first seen gets its status from the minute it is seen in", arguments: [
        ("2026-03-29T09:00:00Z", OneOffState.Status.pending),
        ("2026-03-29T09:59:59Z", .pending),
        ("2026-03-29T10:00:00Z", .pending),   // the tick of its own minute fires it
        ("2026-03-29T10:00:40Z", .pending),   // still its minute: fires at the next tick
        ("2026-03-29T10:01:00Z", .consumed),  // already past: never fires
        ("2026-04-02T00:00:00Z", .consumed),
    ])
    func firstSeen(now: String, expected: OneOffState.Status) {
        let entry = F.oneOffEntry("report", at: [Self.oneOff])
        let state = SchedulerState().reconciled(with: [entry], now: F.at(now))
        #expect(state.dags["report"]?.oneOffs[Self.oneOffID] == OneOffState(at: F.at(Self.oneOff), status: expected))
    }

    @Test("a known one-off keeps its status; a removed one is dropped; an edited time is a new entry")
    func knownAndRemoved() {
        let seen = SchedulerState().reconciled(with: [F.oneOffEntry("report", at: [Self.oneOff, "2026-03-30T10:00:00Z"])],
                                               now: F.at("2026-03-29T09:00:00Z"))
        var consumed = seen
        consumed.dags["report"]?.oneOffs[Self.oneOffID]?.status = .consumed
        // Later, the pending one stays pending even though its time has passed (downtime).
        let later = seen.reconciled(with: [F.oneOffEntry("report", at: [Self.oneOff, "2026-03-30T10:00:00Z"])],
                                    now: F.at("2026-03-31T00:00:00Z"))
        #expect(later.dags["report"]?.oneOffs[Self.oneOffID]?.status == .pending)
        // Consumed stays consumed.
        let again = consumed.reconciled(with: [F.oneOffEntry("report", at: [Self.oneOff])], now: F.at("2026-03-29T09:30:00Z"))
        #expect(again.dags["report"]?.oneOffs == [Self.oneOffID: OneOffState(at: F.at(Self.oneOff), status: .consumed)])
        // Removing the second entry drops its state.
        #expect(again.dags["report"]?.oneOffs["at:2026-03-30T10:00:00Z"] == nil)
        // Re-adding the same instant with another offset is the same entry.
        let rewritten = consumed.reconciled(with: [F.oneOffEntry("report", at: ["2026-03-29T12:00:00+02:00"])],
                                            now: F.at("2026-03-29T09:30:00Z"))
        #expect(rewritten.dags["report"]?.oneOffs[Self.oneOffID]?.status == .consumed)
        // Editing the time makes a new pending entry and drops the old one.
        let edited = consumed.reconciled(with: [F.oneOffEntry("report", at: ["2026-03-29T11:00:00Z"])],
                                         now: F.at("2026-03-29T09:30:00Z"))
        #expect(edited.dags["report"]?.oneOffs == ["at:2026-03-29T11:00:00Z": OneOffState(at: F.at("2026-03-29T11:00:00Z"), status: .pending)])
    }

    @Test("DAGs: gone from the catalog or without start entries are dropped; broken files keep their record")
    func dagRecords() {
        let now = F.at("2026-03-29T09:00:00Z")
        let seeded = SchedulerState().reconciled(with: [
            F.oneOffEntry("keep", at: [Self.oneOff]),
            F.oneOffEntry("gone", at: [Self.oneOff]),
            F.oneOffEntry("broken", at: [Self.oneOff]),
            F.validEntry("unscheduled", schedule: "\"0 * * * *\""),
            F.validEntry("paused", schedule: "\"0 * * * *\"", suspended: true),
        ], now: now)
        #expect(Set(seeded.dags.keys) == ["keep", "gone", "broken", "unscheduled", "paused"])
        let next = seeded.reconciled(with: [
            F.oneOffEntry("keep", at: [Self.oneOff]),
            F.brokenEntry("broken", schedule: "\"5 * * * *\""),
            F.validEntry("unscheduled", schedule: nil),
            F.validEntry("paused", schedule: "\"0 * * * *\"", suspended: true),
        ], now: now.addingTimeInterval(3600))
        #expect(Set(next.dags.keys) == ["keep", "broken", "paused"])
        #expect(next.dags["broken"] == seeded.dags["broken"])
        #expect(next.dags["keep"] == seeded.dags["keep"])
    }

    @Test("an edited start schedule changes the fingerprint and resets skip_if_successful; first sight does not")
    func fingerprintReset() {
        let first = F.at("2026-03-29T09:00:00Z")
        let edit = F.at("2026-03-29T09:20:00Z")
        let seen = SchedulerState().reconciled(with: [F.validEntry("etl", schedule: "\"0 * * * *\"")], now: first)
        #expect(seen.dags["etl"]?.skipResetAt == nil)
        #expect(seen.dags["etl"]?.startFingerprint == "3d1ba4e0bf16949b")
        let unchanged = seen.reconciled(with: [F.validEntry("etl", schedule: "[\"0 * * * *\"]")], now: edit)
        #expect(unchanged == seen)
        let edited = seen.reconciled(with: [F.validEntry("etl", schedule: "\"30 * * * *\"")], now: edit)
        #expect(edited.dags["etl"]?.skipResetAt == edit)
        #expect(edited.dags["etl"]?.startFingerprint != seen.dags["etl"]?.startFingerprint)
        // Seen again unchanged: the reset time stays.
        let later = edited.reconciled(with: [F.validEntry("etl", schedule: "\"30 * * * *\"")], now: edit.addingTimeInterval(3600))
        #expect(later.dags["etl"]?.skipResetAt == edit)
    }

    @Test("lastTick and lastScheduledTime survive reconciliation")
    func watermarks() {
        var state = SchedulerState(lastTick: F.at("2026-03-29T08:59:00Z"))
        state = state.reconciled(with: [F.validEntry("etl", schedule: "\"0 * * * *\"")], now: F.at("2026-03-29T09:00:00Z"))
        state.dags["etl"]?.lastScheduledTime = F.at("2026-03-29T08:00:00Z")
        let again = state.reconciled(with: [F.validEntry("etl", schedule: "\"0 * * * *\"")], now: F.at("2026-03-29T09:01:00Z"))
        #expect(again.lastTick == F.at("2026-03-29T08:59:00Z"))
        #expect(again.dags["etl"]?.lastScheduledTime == F.at("2026-03-29T08:00:00Z"))
    }
}

@Suite("Scheduler: state file encoding")
struct SchedulerStateFileTests {
    typealias F = SchedulerFixture

    @Test("round trip with readable UTC times")
    func roundTrip() throws {
        let state = SchedulerState(lastTick: F.at("2026-03-29T09:00:00Z"), dags: [
            "etl": DAGScheduleState(lastScheduledTime: F.at("2026-03-29T08:00:00Z"), startFingerprint: "3d1ba4e0bf16949b",
                                    skipResetAt: F.at("2026-03-29T08:20:05.25Z"),
                                    oneOffs: ["at:2026-03-29T10:00:00Z": OneOffState(at: F.at("2026-03-29T10:00:00Z"), status: .pending)]),
        ])
        let data = try state.jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"lastTick\" : \"2026-03-29T09:00:00Z\""))
        #expect(text.contains("\"skipResetAt\" : \"2026-03-29T08:20:05.250Z\""))
        #expect(text.contains("\"status\" : \"pending\""))
        #expect(try SchedulerState.decode(data) == state)
    }

    @Test("a missing or corrupt state file gives a fresh state", arguments: [
        nil, "", "{", "[]", "{\"version\": 1, \"dags\": {\"x\": 3}}", "{\"version\": 99, \"dags\": {}}",
        "{\"version\": 1, \"lastTick\": \"yesterday\", \"dags\": {}}",
    ] as [String?])
    func corrupt(text: String?) {
        #expect(SchedulerState.decodedOrFresh(text.map { Data($0.utf8) }) == SchedulerState())
    }

    @Test("a valid file is read")
    func valid() {
        let text = "{\"version\": 1, \"lastTick\": \"2026-03-29T09:00:00Z\", \"dags\": {}}"
        #expect(SchedulerState.decodedOrFresh(Data(text.utf8)) == SchedulerState(lastTick: F.at("2026-03-29T09:00:00Z")))
    }
}
