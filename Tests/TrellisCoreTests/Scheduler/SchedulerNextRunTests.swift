import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: nextRun (§15.5)")
struct SchedulerNextRunTests {
    typealias F = SchedulerFixture
    static let now = "2026-03-29T00:30:20Z"

    @Test("the earliest cron fire after now or pending one-off", arguments: [
        ("\"0 * * * *\"", "2026-03-29T01:00:00Z"),
        ("[\"0 * * * *\", \"45 0 * * *\"]", "2026-03-29T00:45:00Z"),
        ("\"CRON_TZ=Europe/Berlin 30 2 * * *\"", "2026-03-30T00:30:00Z"),   // 02:30 does not exist on 03-29
        ("{start: \"0 9 * * *\", stop: \"0 1 * * *\"}", "2026-03-29T09:00:00Z"),
        ("{start: [{at: \"2026-03-29T00:40:00Z\"}, \"0 * * * *\"]}", "2026-03-29T00:40:00Z"),
        ("{start: [{at: \"2026-03-29T00:20:00Z\"}, \"0 * * * *\"]}", "2026-03-29T01:00:00Z"),   // past at first sight
        ("{start: [{at: \"2026-03-29T00:30:00Z\"}, \"0 * * * *\"]}", "2026-03-29T00:31:00Z"),   // its minute: next tick
        ("{stop: \"0 1 * * *\"}", "nil"),
        ("\"0 0 30 2 *\"", "nil"),
    ])
    func withoutState(schedule: String, expected: String) {
        let entry = F.validEntry("etl", schedule: schedule)
        #expect(F.text(NextRunPlanner.nextRun(of: entry, after: F.at(Self.now), zone: F.utc)) == expected)
    }

    @Test("one-offs follow the scheduler state")
    func withState() {
        let entry = F.oneOffEntry("etl", at: ["2026-03-29T00:10:00Z", "2026-03-29T05:00:00Z"], crons: ["0 12 * * *"])
        let seen = SchedulerState().reconciled(with: [entry], now: F.at("2026-03-29T00:00:00Z"))
        let now = F.at(Self.now)
        // Pending but overdue (the DAG was busy): the next tick.
        #expect(F.text(NextRunPlanner.nextRun(of: entry, after: now, zone: F.utc, state: seen)) == "2026-03-29T00:31:00Z")
        var consumed = seen
        consumed.dags["etl"]?.oneOffs["at:2026-03-29T00:10:00Z"]?.status = .consumed
        #expect(F.text(NextRunPlanner.nextRun(of: entry, after: now, zone: F.utc, state: consumed)) == "2026-03-29T05:00:00Z")
        consumed.dags["etl"]?.oneOffs["at:2026-03-29T05:00:00Z"]?.status = .consumed
        #expect(F.text(NextRunPlanner.nextRun(of: entry, after: now, zone: F.utc, state: consumed)) == "2026-03-29T12:00:00Z")
    }

    @Test("agrees with the planner: the reported minute is the one the planner starts")
    func agreesWithPlanner() {
        let entry = F.oneOffEntry("etl", at: ["2026-03-29T03:17:00Z"], crons: ["CRON_TZ=America/New_York 5 */2 * * *"])
        var simulation = SchedulerSimulation(entries: [entry])
        var predictions: [String] = []
        var now = F.at("2026-03-29T00:00:00Z")
        for _ in 0..<6 {
            let predicted = NextRunPlanner.nextRun(of: entry, after: now, zone: F.utc, state: simulation.state)
            predictions.append(F.text(predicted))
            guard let predicted else { break }
            simulation.run(from: TickClock.nextMinute(after: now), to: predicted.addingTimeInterval(60))
            now = predicted.addingTimeInterval(1)
        }
        #expect(simulation.slots("etl") == predictions)
        #expect(predictions == ["2026-03-29T00:05:00Z", "2026-03-29T02:05:00Z", "2026-03-29T03:17:00Z",
                                "2026-03-29T04:05:00Z", "2026-03-29T06:05:00Z", "2026-03-29T08:05:00Z"])
    }

    @Test("none for suspended DAGs and DAGs with errors")
    func none() {
        let now = F.at(Self.now)
        #expect(NextRunPlanner.nextRun(of: F.validEntry("etl", schedule: "\"0 * * * *\"", suspended: true), after: now, zone: F.utc) == nil)
        #expect(NextRunPlanner.nextRun(of: F.brokenEntry("etl", schedule: "\"0 * * * *\""), after: now, zone: F.utc) == nil)
        #expect(NextRunPlanner.nextRun(of: F.validEntry("etl", schedule: nil), after: now, zone: F.utc) == nil)
    }
}
