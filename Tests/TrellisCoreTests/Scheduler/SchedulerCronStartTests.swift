import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: cron starts, zones and DST (§15.1, §15.2)")
struct SchedulerCronStartTests {
    typealias F = SchedulerFixture

    @Test("a cron entry starts when a fire time equals the minute", arguments: [
        ("\"0 * * * *\"", "2026-02-07T12:00:00Z", true),
        ("\"0 * * * *\"", "2026-02-07T12:00:42Z", true),   // seconds of the tick are dropped
        ("\"0 * * * *\"", "2026-02-07T12:01:00Z", false),
        ("\"0 * * * *\"", "2026-02-07T11:59:00Z", false),
        ("[\"5 * * * *\", \"0 12 * * *\"]", "2026-02-07T12:00:00Z", true),
        ("{start: \"0 12 * * *\", stop: \"0 13 * * *\"}", "2026-02-07T12:00:00Z", true),
        ("{stop: \"0 12 * * *\"}", "2026-02-07T12:00:00Z", false),
        ("{start: \"0 11 * * *\", restart: \"0 12 * * *\"}", "2026-02-07T12:00:00Z", false),
    ])
    func fires(schedule: String, tick: String, starts: Bool) {
        let plan = F.plan(F.at(tick), entries: [F.validEntry("etl", schedule: schedule)])
        #expect(plan.starts.count == (starts ? 1 : 0))
        if let start = plan.starts.first {
            #expect(start == PlannedStart(dagName: "etl", fileName: "etl", scheduleTime: TickClock.minute(containing: F.at(tick)),
                                          runID: nil, action: .start, source: start.source))
        }
        #expect(plan.newState.lastTick == TickClock.minute(containing: F.at(tick)))
    }

    @Test("the start carries DAG name, file name, slot and the entry; several due entries start once")
    func oneStartPerDAG() {
        let entry = F.validEntry("etl-file", schedule: "[\"0 12 * * *\", \"0 * * * *\", \"*/15 * * * *\"]", extra: ["name: etl"])
        let plan = F.plan(F.at("2026-02-07T12:00:00Z"), entries: [entry])
        #expect(plan.starts == [PlannedStart(dagName: "etl", fileName: "etl-file", scheduleTime: F.at("2026-02-07T12:00:00Z"),
                                             runID: nil, action: .start, source: .cron("0 12 * * *"))])
        #expect(plan.newState.dags["etl"]?.lastScheduledTime == F.at("2026-02-07T12:00:00Z"))
    }

    @Test("DAGs are planned independently, in catalog order")
    func severalDAGs() {
        let plan = F.plan(F.at("2026-02-07T12:00:00Z"), entries: [
            F.validEntry("a", schedule: "\"0 * * * *\""), F.validEntry("b", schedule: "\"1 * * * *\""),
            F.validEntry("c", schedule: "\"0 12 * * *\""), F.validEntry("d", schedule: nil),
        ])
        #expect(plan.starts.map(\.dagName) == ["a", "c"])
    }

    @Test("entries use their CRON_TZ, else the configured zone", arguments: [
        // (schedule, configured zone, tick, starts)
        ("\"0 9 * * *\"", "Asia/Tokyo", "2026-02-07T00:00:00Z", true),
        ("\"0 9 * * *\"", "UTC", "2026-02-07T00:00:00Z", false),
        ("\"CRON_TZ=Asia/Tokyo 0 9 * * *\"", "UTC", "2026-02-07T00:00:00Z", true),
        ("\"CRON_TZ=Asia/Tokyo 0 9 * * *\"", "America/New_York", "2026-02-07T00:00:00Z", true),
        ("\"CRON_TZ=Asia/Tokyo 0 9 * * *\"", "Asia/Tokyo", "2026-02-07T09:00:00Z", false),
        ("\"TZ=America/New_York 0 9 * * *\"", "Asia/Tokyo", "2026-02-07T14:00:00Z", true),
        ("[\"CRON_TZ=Asia/Tokyo 0 9 * * *\", \"CRON_TZ=Europe/Berlin 0 9 * * *\"]", "UTC", "2026-02-07T08:00:00Z", true),
        ("[\"CRON_TZ=Asia/Tokyo 0 9 * * *\", \"CRON_TZ=Europe/Berlin 0 9 * * *\"]", "UTC", "2026-02-07T09:00:00Z", false),
    ])
    func zones(schedule: String, zone: String, tick: String, starts: Bool) {
        let plan = F.plan(F.at(tick), entries: [F.validEntry("etl", schedule: schedule)], zone: F.zone(zone))
        #expect(plan.starts.count == (starts ? 1 : 0))
    }

    /// Ticks every minute of a window around a DST transition and lists the slots started.
    @Test("DST: a skipped local time does not fire, a repeated one fires once", arguments: [
        // New York springs forward 2026-03-08 02:00 EST → 03:00 EDT.
        ("30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z",
         ["2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"]),
        ("0 3 * * *", "America/New_York", "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z", ["2026-03-08T07:00:00Z"]),
        // New York falls back 2026-11-01 02:00 EDT → 01:00 EST: 01:30 happens twice.
        ("30 1 * * *", "America/New_York", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z",
         ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]),
        ("*/30 * * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z",
         ["2026-11-01T04:00:00Z", "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z",
          "2026-11-01T07:00:00Z", "2026-11-01T07:30:00Z"]),
        // Berlin springs forward 2026-03-29 02:00 CET → 03:00 CEST.
        ("30 2 * * *", "Europe/Berlin", "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z",
         ["2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z"]),
        ("*/20 * * * *", "Europe/Berlin", "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z",
         ["2026-03-29T00:40:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:20:00Z"]),
        // Berlin falls back 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens twice.
        ("30 2 * * *", "Europe/Berlin", "2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z",
         ["2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]),
    ])
    func daylightSaving(expression: String, zone: String, from: String, to: String, expected: [String]) {
        // Once with the configured zone, once with the zone as a CRON_TZ prefix over another zone.
        for (schedule, configured) in [(expression, zone), ("CRON_TZ=\(zone) \(expression)", "Asia/Tokyo")] {
            var simulation = SchedulerSimulation(entries: [F.validEntry("etl", schedule: "\"\(schedule)\"")], zone: F.zone(configured))
            simulation.run(from: F.at(from), to: F.at(to))
            #expect(simulation.slots("etl") == expected, "\(schedule) in \(configured)")
        }
    }
}

@Suite("Scheduler: late ticks and repeated ticks (§15.2)")
struct SchedulerLateTickTests {
    typealias F = SchedulerFixture

    @Test("a tick more than a minute late evaluates only the current minute", arguments: [
        ("1 * * * *", false), ("2 * * * *", false), ("3 * * * *", true), ("0 * * * *", false),
    ])
    func late(expression: String, starts: Bool) {
        // The previous tick evaluated 10:00; the host slept and the next tick wakes at 10:03:30.
        let plan = F.plan(F.at("2026-02-07T10:03:30Z"), entries: [F.validEntry("etl", schedule: "\"\(expression)\"")],
                          previousTick: F.at("2026-02-07T10:00:00Z"))
        #expect(plan.starts.map(\.scheduleTime) == (starts ? [F.at("2026-02-07T10:03:00Z")] : []))
        #expect(plan.newState.lastTick == F.at("2026-02-07T10:03:00Z"))
    }

    @Test("missed slots are not run after host sleep; the schedule resumes")
    func sleepThrough() {
        var simulation = SchedulerSimulation(entries: [F.validEntry("etl", schedule: "\"*/5 * * * *\"")])
        simulation.tick(F.at("2026-02-07T10:00:00Z"))
        simulation.tick(F.at("2026-02-07T10:01:00Z"))
        simulation.tick(F.at("2026-02-07T10:17:10Z"))   // slept through 10:05, 10:10, 10:15
        simulation.run(from: F.at("2026-02-07T10:18:00Z"), to: F.at("2026-02-07T10:21:00Z"))
        #expect(simulation.slots("etl") == ["2026-02-07T10:00:00Z", "2026-02-07T10:20:00Z"])
    }

    @Test("a minute at or before the previous tick is not evaluated again", arguments: [
        ("2026-02-07T10:00:00Z", "2026-02-07T10:00:00Z"),
        ("2026-02-07T10:00:00Z", "2026-02-07T10:00:59Z"),
        ("2026-02-07T10:05:00Z", "2026-02-07T10:00:10Z"),   // clock stepped back
    ])
    func repeated(previous: String, tick: String) {
        let entry = F.validEntry("etl", schedule: "{start: \"* * * * *\", stop: \"* * * * *\"}")
        var state = SchedulerState(lastTick: F.at(previous))
        state = state.reconciled(with: [entry], now: F.at(previous))
        let idle = F.plan(F.at(tick), entries: [entry], state: state, previousTick: F.at(previous))
        #expect(idle.starts.isEmpty)
        #expect(idle.newState.lastTick == F.at(previous))
        let busy = F.plan(F.at(tick), entries: [entry], state: state, previousTick: F.at(previous),
                          latestRuns: ["etl": LatestRunInfo(status: .running, active: true)])
        #expect(busy.stops.isEmpty)
        // Without the previous tick the same minute would start (idle) and stop (busy).
        #expect(F.plan(F.at(tick), entries: [entry], state: state).starts.count == 1)
        #expect(F.plan(F.at(tick), entries: [entry], state: state,
                       latestRuns: ["etl": LatestRunInfo(status: .running, active: true)]).stops == ["etl"])
    }
}
