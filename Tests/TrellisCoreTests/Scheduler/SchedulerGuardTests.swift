import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: start guards, suspend, errors, queues (§15.2, §15.3, §14.3)")
struct SchedulerGuardTests {
    typealias F = SchedulerFixture
    static let slot = "2026-02-07T12:00:00Z"

    /// A latest run described by status, slot and whether any run is active.
    struct Latest: Sendable, CustomStringConvertible {
        var status: RunStatus
        var slot: String?
        var active: Bool
        var description: String { "\(status) slot=\(slot ?? "-") active=\(active)" }
        var info: LatestRunInfo {
            LatestRunInfo(status: status, scheduleTime: slot.map { F.at($0) }, startedAt: F.at("2026-02-07T11:00:05Z"), active: active)
        }
    }

    @Test("guards on the latest run (hourly cron, slot 12:00)", arguments: [
        (nil as Latest?, true),
        (Latest(status: .running, slot: "2026-02-07T11:00:00Z", active: true), false),
        (Latest(status: .queued, slot: nil, active: true), false),
        // An older run is still running while the latest finished: the DAG is active.
        (Latest(status: .failed, slot: "2026-02-07T11:00:00Z", active: true), false),
        (Latest(status: .succeeded, slot: "2026-02-07T11:00:00Z", active: false), true),
        (Latest(status: .failed, slot: "2026-02-07T11:00:00Z", active: false), true),
        (Latest(status: .aborted, slot: nil, active: false), true),
        // Replay after a restart or failover: the slot already has its run.
        (Latest(status: .succeeded, slot: "2026-02-07T12:00:00Z", active: false), false),
        (Latest(status: .failed, slot: "2026-02-07T12:00:00Z", active: false), false),
        // A clock stepped back: the latest run is for a later slot.
        (Latest(status: .succeeded, slot: "2026-02-07T13:00:00Z", active: false), false),
    ])
    func guards(latest: Latest?, starts: Bool) {
        let plan = F.plan(F.at(Self.slot), entries: [F.validEntry("etl", schedule: "\"0 * * * *\"")],
                          latestRuns: latest.map { ["etl": $0.info] } ?? [:])
        #expect(plan.starts.count == (starts ? 1 : 0))
        #expect(plan.newState.dags["etl"]?.lastScheduledTime == (starts ? F.at(Self.slot) : nil))
    }

    @Test("a clock stepped back past a fired slot, with a manual run since: the slot does not fire again")
    func clockSteppedBackAfterManualRun() {
        var state = SchedulerState()
        let entries = [F.validEntry("etl", schedule: "\"0 * * * *\"")]
        let fired = F.plan(F.at(Self.slot), entries: entries, state: state)
        #expect(fired.starts.count == 1)
        state = fired.newState
        // A manual run after the slot is now the latest run: it carries no scheduleTime.
        let manual = ["etl": LatestRunInfo(status: .succeeded, scheduleTime: nil, startedAt: F.at("2026-02-07T12:10:00Z"), active: false)]
        let replay = F.plan(F.at(Self.slot), entries: entries, state: state, latestRuns: manual)
        #expect(replay.starts.isEmpty)
        #expect(replay.newState.dags["etl"]?.lastScheduledTime == F.at(Self.slot))
        // The next slot still fires.
        let next = F.plan(F.at("2026-02-07T13:00:00Z"), entries: entries, state: replay.newState, latestRuns: manual)
        #expect(next.starts.map(\.scheduleTime) == [F.at("2026-02-07T13:00:00Z")])
    }

    @Test("latest runs are matched by DAG name, not file name")
    func keyedByDAGName() {
        let entry = F.validEntry("etl-file", schedule: "\"0 * * * *\"", extra: ["name: etl"])
        let busy = ["etl": LatestRunInfo(status: .running, active: true)]
        #expect(F.plan(F.at(Self.slot), entries: [entry], latestRuns: busy).starts.isEmpty)
        let other = ["etl-file": LatestRunInfo(status: .running, active: true)]
        #expect(F.plan(F.at(Self.slot), entries: [entry], latestRuns: other).starts.count == 1)
    }

    @Test("a replayed tick after failover starts nothing new")
    func failoverReplay() {
        var primary = SchedulerSimulation(entries: [F.validEntry("etl", schedule: "\"0 * * * *\"")])
        let before = primary.state
        primary.tick(F.at(Self.slot))
        #expect(primary.slots("etl") == [Self.slot])
        // The standby takes over with the state from before the tick (not yet written) and no
        // previous tick, and evaluates 12:00 again: the run record's scheduleTime stops it.
        var standby = primary
        standby.state = before
        standby.previousTick = nil
        standby.started = []
        standby.tick(F.at(Self.slot))
        standby.tick(F.at("2026-02-07T12:00:30Z"))
        #expect(standby.started.isEmpty)
        standby.run(from: F.at("2026-02-07T12:01:00Z"), to: F.at("2026-02-07T13:01:00Z"))
        #expect(standby.slots("etl") == ["2026-02-07T13:00:00Z"])
    }

    @Test("suspended DAGs and DAGs with errors get no starts and no stops")
    func suspendedAndBroken() {
        let schedule = "{start: \"0 * * * *\", stop: \"0 * * * *\"}"
        let entries = [
            F.validEntry("ok", schedule: schedule),
            F.validEntry("paused", schedule: schedule, suspended: true),
            F.brokenEntry("broken", schedule: schedule),
        ]
        let idle = F.plan(F.at(Self.slot), entries: entries)
        #expect(idle.starts.map(\.dagName) == ["ok"])
        let running = LatestRunInfo(status: .running, active: true)
        let busy = F.plan(F.at(Self.slot), entries: entries,
                          latestRuns: ["ok": running, "paused": running, "broken": running])
        #expect(busy.stops == ["ok"])
        #expect(busy.starts.isEmpty)
    }

    @Test("a DAG that loses a name clash is skipped; the owner is planned")
    func nameClash() {
        var loser = F.validEntry("b", schedule: "\"0 * * * *\"", extra: ["name: etl"])
        loser.catalogErrors = [Diagnostic(.error, path: "name", message: "DAG name \"etl\" is already used by etl.yaml")]
        let plan = F.plan(F.at(Self.slot), entries: [F.validEntry("etl", schedule: "\"0 * * * *\""), loser])
        #expect(plan.starts.map(\.fileName) == ["etl"])
    }

    @Test("at most one start per DAG name even if two valid files claim it")
    func oneStartPerName() {
        let plan = F.plan(F.at(Self.slot), entries: [
            F.validEntry("a", schedule: "\"0 * * * *\"", extra: ["name: etl"]),
            F.validEntry("b", schedule: "\"0 * * * *\"", extra: ["name: etl"]),
        ])
        #expect(plan.starts.map(\.fileName) == ["a"])
    }

    @Test("a DAG on a declared global queue is enqueued; its own or an undeclared queue starts directly", arguments: [
        (["queue: batch"], ["batch"], PlannedStart.Action.enqueue(queue: "batch")),
        (["queue: batch"], [], .start),
        (["queue: other"], ["batch"], .start),
        ([], ["batch", "etl"], .start),
    ] as [([String], Set<String>, PlannedStart.Action)])
    func queues(extra: [String], declared: Set<String>, action: PlannedStart.Action) {
        let plan = F.plan(F.at(Self.slot), entries: [F.validEntry("etl", schedule: "\"0 * * * *\"", extra: extra)],
                          globalQueues: declared)
        #expect(plan.starts.map(\.action) == [action])
    }

    @Test("one-offs on a global queue are enqueued with their deterministic ID")
    func oneOffEnqueued() {
        let entry = F.oneOffEntry("etl", at: ["2026-02-07T12:00:00Z"], extra: ["queue: batch"])
        let state = SchedulerState().reconciled(with: [entry], now: F.at("2026-02-07T11:00:00Z"))
        let plan = F.plan(F.at(Self.slot), entries: [entry], state: state, globalQueues: ["batch"])
        #expect(plan.starts.map(\.action) == [.enqueue(queue: "batch")])
        #expect(plan.starts.map(\.runID) == [ScheduleIdentity.oneOffRunID(dagName: "etl", at: F.at(Self.slot))])
    }
}
