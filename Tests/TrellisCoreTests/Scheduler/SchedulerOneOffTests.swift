import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: one-off starts (§15.4)")
struct SchedulerOneOffTests {
    typealias F = SchedulerFixture
    static let time = "2026-03-29T02:10:00+01:00"          // = 01:10Z
    static let id = "at:2026-03-29T01:10:00Z"
    static let runID = "oneoff-report-0aa514bc-20260329T011000"

    @Test("lifecycle: pending → fires once at its minute with its deterministic ID → consumed")
    func lifecycle() {
        var simulation = SchedulerSimulation(entries: [F.oneOffEntry("report", at: [Self.time])])
        simulation.tick(F.at("2026-03-29T00:00:00Z"))
        #expect(simulation.state.dags["report"]?.oneOffs[Self.id]?.status == .pending)
        simulation.run(from: F.at("2026-03-29T00:01:00Z"), to: F.at("2026-03-29T01:10:00Z"))
        #expect(simulation.started.isEmpty)
        let plan = simulation.tick(F.at("2026-03-29T01:10:00Z"))
        #expect(plan.starts == [PlannedStart(dagName: "report", fileName: "report", scheduleTime: F.at("2026-03-29T01:10:00Z"),
                                             runID: Self.runID, action: .start, source: .oneOff(Self.id))])
        #expect(plan.newState.dags["report"]?.oneOffs[Self.id]?.status == .consumed)
        // A one-off is not a cron slot: the watermark stays.
        #expect(plan.newState.dags["report"]?.lastScheduledTime == nil)
        simulation.run(from: F.at("2026-03-29T01:11:00Z"), to: F.at("2026-03-30T00:00:00Z"))
        #expect(simulation.started.count == 1)
    }

    @Test("first seen already past: consumed, never fires")
    func pastAtFirstSight() {
        var simulation = SchedulerSimulation(entries: [F.oneOffEntry("report", at: [Self.time])])
        simulation.run(from: F.at("2026-03-29T01:11:00Z"), to: F.at("2026-03-29T02:00:00Z"))
        #expect(simulation.started.isEmpty)
        #expect(simulation.state.dags["report"]?.oneOffs[Self.id]?.status == .consumed)
    }

    @Test("first seen by the tick of its own minute: fires")
    func firstSeenInItsMinute() {
        var simulation = SchedulerSimulation(entries: [F.oneOffEntry("report", at: [Self.time])])
        simulation.tick(F.at("2026-03-29T01:10:00.3Z"))
        #expect(simulation.slots("report") == ["2026-03-29T01:10:00Z"])
    }

    @Test("after scheduler downtime it fires at the first tick after its time, with its own slot")
    func afterDowntime() {
        var simulation = SchedulerSimulation(entries: [F.oneOffEntry("report", at: [Self.time], crons: ["0 */6 * * *"])])
        simulation.tick(F.at("2026-03-29T00:00:00Z"))
        simulation.started = []
        // Down from 00:01 to 05:59; the first tick back is 06:00, when the cron fires too:
        // the earlier slot (the one-off) wins, the cron slot is not run.
        let plan = simulation.tick(F.at("2026-03-29T06:00:00Z"))
        #expect(plan.starts.map(\.scheduleTime) == [F.at("2026-03-29T01:10:00Z")])
        #expect(plan.starts.map(\.runID) == [Self.runID])
        simulation.run(from: F.at("2026-03-29T06:01:00Z"), to: F.at("2026-03-29T12:01:00Z"))
        #expect(simulation.slots("report") == ["2026-03-29T01:10:00Z", "2026-03-29T12:00:00Z"])
    }

    @Test("an active run holds a due one-off pending until the DAG is idle")
    func heldByActiveRun() {
        let entry = F.oneOffEntry("report", at: [Self.time])
        var state = SchedulerState().reconciled(with: [entry], now: F.at("2026-03-29T00:00:00Z"))
        let running = LatestRunInfo(status: .running, startedAt: F.at("2026-03-29T01:00:00Z"), active: true)
        let held = F.plan(F.at("2026-03-29T01:10:00Z"), entries: [entry], state: state, latestRuns: ["report": running])
        #expect(held.starts.isEmpty)
        #expect(held.newState.dags["report"]?.oneOffs[Self.id]?.status == .pending)
        state = held.newState
        let done = LatestRunInfo(status: .succeeded, startedAt: F.at("2026-03-29T01:00:00Z"), active: false)
        let fired = F.plan(F.at("2026-03-29T01:25:00Z"), entries: [entry], state: state,
                           previousTick: F.at("2026-03-29T01:24:00Z"), latestRuns: ["report": done])
        #expect(fired.starts.map(\.runID) == [Self.runID])
        #expect(fired.starts.map(\.scheduleTime) == [F.at("2026-03-29T01:10:00Z")])
    }

    @Test("a replayed one-off whose run exists is consumed without a second start")
    func replay() {
        let entry = F.oneOffEntry("report", at: [Self.time])
        // The state still says pending (the primary died before writing it), but the run is there.
        let state = SchedulerState().reconciled(with: [entry], now: F.at("2026-03-29T00:00:00Z"))
        let run = LatestRunInfo(status: .running, scheduleTime: F.at("2026-03-29T01:10:00Z"), active: true)
        let whileRunning = F.plan(F.at("2026-03-29T01:10:00Z"), entries: [entry], state: state, latestRuns: ["report": run])
        #expect(whileRunning.starts.isEmpty)
        let finished = LatestRunInfo(status: .succeeded, scheduleTime: F.at("2026-03-29T01:10:00Z"), active: false)
        let plan = F.plan(F.at("2026-03-29T01:12:00Z"), entries: [entry], state: whileRunning.newState,
                          latestRuns: ["report": finished])
        #expect(plan.starts.isEmpty)
        #expect(plan.newState.dags["report"]?.oneOffs[Self.id]?.status == .consumed)
    }

    @Test("removing the entry drops its state; a pending one-off removed never fires")
    func removed() {
        var simulation = SchedulerSimulation(entries: [F.oneOffEntry("report", at: [Self.time], crons: ["0 0 1 1 *"])])
        simulation.tick(F.at("2026-03-29T00:00:00Z"))
        simulation.entries = [F.validEntry("report", schedule: "\"0 0 1 1 *\"")]
        simulation.run(from: F.at("2026-03-29T01:00:00Z"), to: F.at("2026-03-29T01:30:00Z"))
        #expect(simulation.started.isEmpty)
        #expect(simulation.state.dags["report"]?.oneOffs.isEmpty == true)
    }

    @Test("several one-offs past after downtime fire oldest first, one per tick")
    func several() {
        let times = ["2026-03-29T01:10:00Z", "2026-03-29T01:05:00Z", "2026-03-29T03:00:00Z"]
        var simulation = SchedulerSimulation(entries: [F.oneOffEntry("report", at: times)])
        simulation.tick(F.at("2026-03-29T00:00:00Z"))
        simulation.tick(F.at("2026-03-29T02:00:00Z"))
        simulation.tick(F.at("2026-03-29T02:01:00Z"))
        simulation.tick(F.at("2026-03-29T02:02:00Z"))
        simulation.run(from: F.at("2026-03-29T02:59:00Z"), to: F.at("2026-03-29T03:02:00Z"))
        #expect(simulation.slots("report") == ["2026-03-29T01:05:00Z", "2026-03-29T01:10:00Z", "2026-03-29T03:00:00Z"])
    }

    @Test("a one-off and a cron at the same minute start once, as the one-off")
    func sameMinuteAsCron() {
        let entry = F.oneOffEntry("report", at: ["2026-03-29T01:00:00Z"], crons: ["0 * * * *"])
        let state = SchedulerState().reconciled(with: [entry], now: F.at("2026-03-29T00:00:00Z"))
        let plan = F.plan(F.at("2026-03-29T01:00:00Z"), entries: [entry], state: state)
        #expect(plan.starts.map(\.source) == [.oneOff("at:2026-03-29T01:00:00Z")])
        #expect(plan.newState.dags["report"]?.lastScheduledTime == nil)
    }

    @Test("a suspended DAG's one-off stays pending and fires at the first tick after it is resumed")
    func suspended() {
        var simulation = SchedulerSimulation(entries: [F.oneOffEntry("report", at: [Self.time])])
        simulation.tick(F.at("2026-03-29T00:00:00Z"))
        simulation.entries[0].suspended = true
        simulation.run(from: F.at("2026-03-29T01:00:00Z"), to: F.at("2026-03-29T02:00:00Z"))
        #expect(simulation.started.isEmpty)
        #expect(simulation.state.dags["report"]?.oneOffs[Self.id]?.status == .pending)
        simulation.entries[0].suspended = false
        simulation.tick(F.at("2026-03-29T02:00:00Z"))
        #expect(simulation.slots("report") == ["2026-03-29T01:10:00Z"])
    }
}
