import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: skip_if_successful (§15.3)")
struct SchedulerSkipIfSuccessfulTests {
    typealias F = SchedulerFixture

    /// The latest run of an hourly DAG evaluated at the 12:00 slot (previous fire 11:00).
    struct Row: Sendable, CustomStringConvertible {
        var note: String
        var status: RunStatus
        var slot: String?
        var startedAt: String?
        var skip: Bool
        var description: String { note }
    }

    @Test("the latest success suppresses the slot when it lies in [previous fire, this fire)", arguments: [
        Row(note: "manual success inside the interval", status: .succeeded, slot: nil, startedAt: "2026-02-07T11:30:00Z", skip: true),
        Row(note: "manual success at the previous fire", status: .succeeded, slot: nil, startedAt: "2026-02-07T11:00:00Z", skip: true),
        Row(note: "manual success just before the previous fire", status: .succeeded, slot: nil,
            startedAt: "2026-02-07T10:59:59Z", skip: false),
        Row(note: "manual success just before this fire", status: .succeeded, slot: nil, startedAt: "2026-02-07T11:59:59Z", skip: true),
        // The slot counts, not the start time: a queued 10:00 run that started at 11:10.
        Row(note: "slot before the interval, started inside", status: .succeeded, slot: "2026-02-07T10:00:00Z",
            startedAt: "2026-02-07T11:10:00Z", skip: false),
        // §15.3 taken literally (as Dagu does): the previous slot's own success lies in the interval.
        Row(note: "the previous slot's scheduled success", status: .succeeded, slot: "2026-02-07T11:00:00Z",
            startedAt: "2026-02-07T11:00:01Z", skip: true),
        Row(note: "failed inside the interval", status: .failed, slot: nil, startedAt: "2026-02-07T11:30:00Z", skip: false),
        Row(note: "aborted inside the interval", status: .aborted, slot: nil, startedAt: "2026-02-07T11:30:00Z", skip: false),
        Row(note: "partially succeeded is not succeeded", status: .partiallySucceeded, slot: nil,
            startedAt: "2026-02-07T11:30:00Z", skip: false),
        Row(note: "success with no time at all", status: .succeeded, slot: nil, startedAt: nil, skip: false),
    ])
    func interval(row: Row) {
        let entry = F.validEntry("etl", schedule: "\"0 * * * *\"", extra: ["skip_if_successful: true"])
        let latest = LatestRunInfo(status: row.status, scheduleTime: row.slot.map { F.at($0) },
                                   startedAt: row.startedAt.map { F.at($0) }, active: false)
        let plan = F.plan(F.at("2026-02-07T12:00:00Z"), entries: [entry], latestRuns: ["etl": latest])
        #expect(plan.starts.isEmpty == row.skip)
        // Without the flag it always starts.
        let plain = F.validEntry("etl", schedule: "\"0 * * * *\"")
        #expect(F.plan(F.at("2026-02-07T12:00:00Z"), entries: [plain], latestRuns: ["etl": latest]).starts.count == 1)
    }

    @Test("the interval is the firing entry's own: previous fire of 0 9 * * * is yesterday 09:00", arguments: [
        ("2026-02-06T09:00:00Z", true), ("2026-02-06T08:59:00Z", false), ("2026-02-07T08:00:00Z", true),
    ])
    func perEntryInterval(startedAt: String, skip: Bool) {
        let entry = F.validEntry("etl", schedule: "[\"0 9 * * *\", \"30 9 * * 1\"]", extra: ["skip_if_successful: true"])
        let latest = LatestRunInfo(status: .succeeded, startedAt: F.at(startedAt), active: false)
        let plan = F.plan(F.at("2026-02-07T09:00:00Z"), entries: [entry], latestRuns: ["etl": latest])
        #expect(plan.starts.isEmpty == skip)
    }

    @Test("the interval follows the entry's zone across DST: spring-forward day in New York")
    func dstInterval() {
        // 30 2 * * * does not fire on 2026-03-08; at the 2026-03-09 slot the previous fire is 03-07.
        let entry = F.validEntry("etl", schedule: "\"CRON_TZ=America/New_York 30 2 * * *\"", extra: ["skip_if_successful: true"])
        let latest = LatestRunInfo(status: .succeeded, startedAt: F.at("2026-03-07T20:00:00Z"), active: false)
        let plan = F.plan(F.at("2026-03-09T06:30:00Z"), entries: [entry], latestRuns: ["etl": latest])
        #expect(plan.starts.isEmpty)
    }

    @Test("editing the start schedule resets it: successes before the edit do not suppress")
    func editResets() {
        let old = F.validEntry("etl", schedule: "\"0 * * * *\"", extra: ["skip_if_successful: true"])
        let new = F.validEntry("etl", schedule: "\"30 * * * *\"", extra: ["skip_if_successful: true"])
        var state = SchedulerState().reconciled(with: [old], now: F.at("2026-02-07T11:00:00Z"))
        // The 11:00 slot succeeded; the schedule is edited at 11:10 (seen by the 11:10 tick).
        let success = LatestRunInfo(status: .succeeded, scheduleTime: F.at("2026-02-07T11:00:00Z"),
                                    startedAt: F.at("2026-02-07T11:00:01Z"), finishedAt: F.at("2026-02-07T11:05:00Z"), active: false)
        state = F.plan(F.at("2026-02-07T11:10:00Z"), entries: [new], state: state, latestRuns: ["etl": success]).newState
        #expect(state.dags["etl"]?.skipResetAt == F.at("2026-02-07T11:10:00Z"))
        // 11:30: the previous fire of 30 * * * * is 10:30 and the 11:00 success lies after it, but predates the edit.
        let afterEdit = F.plan(F.at("2026-02-07T11:30:00Z"), entries: [new], state: state, latestRuns: ["etl": success])
        #expect(afterEdit.starts.count == 1)
        // Without the edit, the same success would have suppressed the slot.
        let unedited = SchedulerState().reconciled(with: [new], now: F.at("2026-02-07T11:10:00Z"))
        #expect(F.plan(F.at("2026-02-07T11:30:00Z"), entries: [new], state: unedited, latestRuns: ["etl": success]).starts.isEmpty)
        // A manual success after the edit suppresses again.
        let manual = LatestRunInfo(status: .succeeded, startedAt: F.at("2026-02-07T11:20:00Z"),
                                   finishedAt: F.at("2026-02-07T11:21:00Z"), active: false)
        #expect(F.plan(F.at("2026-02-07T11:30:00Z"), entries: [new], state: state, latestRuns: ["etl": manual]).starts.isEmpty)
        // A run that started before the edit but finished after it counts as after the edit.
        let straddling = LatestRunInfo(status: .succeeded, startedAt: F.at("2026-02-07T11:08:00Z"),
                                       finishedAt: F.at("2026-02-07T11:12:00Z"), active: false)
        #expect(F.plan(F.at("2026-02-07T11:30:00Z"), entries: [new], state: state, latestRuns: ["etl": straddling]).starts.isEmpty)
    }

    @Test("a one-off is never skipped by skip_if_successful (it has no previous fire time)")
    func oneOffNotSkipped() {
        let entry = F.oneOffEntry("etl", at: ["2026-02-07T12:00:00Z"], extra: ["skip_if_successful: true"])
        let state = SchedulerState().reconciled(with: [entry], now: F.at("2026-02-07T11:00:00Z"))
        let latest = LatestRunInfo(status: .succeeded, startedAt: F.at("2026-02-07T11:59:00Z"), active: false)
        #expect(F.plan(F.at("2026-02-07T12:00:00Z"), entries: [entry], state: state, latestRuns: ["etl": latest]).starts.count == 1)
    }

    @Test("hourly with skip_if_successful over an afternoon: every other slot runs (§15.3 literally)")
    func alternation() {
        var simulation = SchedulerSimulation(entries: [F.validEntry("etl", schedule: "\"0 * * * *\"", extra: ["skip_if_successful: true"])])
        simulation.run(from: F.at("2026-02-07T12:00:00Z"), to: F.at("2026-02-07T16:01:00Z"))
        #expect(simulation.slots("etl") == ["2026-02-07T12:00:00Z", "2026-02-07T14:00:00Z", "2026-02-07T16:00:00Z"])
        var failing = SchedulerSimulation(entries: simulation.entries)
        failing.outcome = .failed
        failing.run(from: F.at("2026-02-07T12:00:00Z"), to: F.at("2026-02-07T16:01:00Z"))
        #expect(failing.slots("etl").count == 5)
    }
}
