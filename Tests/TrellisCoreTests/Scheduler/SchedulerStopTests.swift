import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: stop schedules (§15.1, §15.2 step 5)")
struct SchedulerStopTests {
    typealias F = SchedulerFixture

    @Test("a due stop entry stops the DAG when its latest run is running", arguments: [
        (RunStatus.running, "2026-02-07T13:00:00Z", true),
        (.running, "2026-02-07T13:01:00Z", false),
        (.queued, "2026-02-07T13:00:00Z", false),
        (.succeeded, "2026-02-07T13:00:00Z", false),
        (.failed, "2026-02-07T13:00:00Z", false),
    ])
    func stops(status: RunStatus, tick: String, stops: Bool) {
        let entry = F.validEntry("etl", schedule: "{start: \"0 8 * * *\", stop: [\"0 13 * * *\", \"0 17 * * *\"]}")
        let latest = LatestRunInfo(status: status, active: status.isActive)
        let plan = F.plan(F.at(tick), entries: [entry], latestRuns: ["etl": latest])
        #expect(plan.stops == (stops ? ["etl"] : []))
        #expect(plan.starts.isEmpty)
    }

    @Test("stop entries use their CRON_TZ, else the configured zone")
    func zones() {
        let entry = F.validEntry("etl", schedule: "{start: \"0 8 * * *\", stop: [\"CRON_TZ=Asia/Tokyo 0 22 * * *\", \"0 17 * * *\"]}")
        let running = ["etl": LatestRunInfo(status: .running, active: true)]
        let berlin = F.zone("Europe/Berlin")
        #expect(F.plan(F.at("2026-02-07T13:00:00Z"), entries: [entry], latestRuns: running, zone: berlin).stops == ["etl"])
        #expect(F.plan(F.at("2026-02-07T16:00:00Z"), entries: [entry], latestRuns: running, zone: berlin).stops == ["etl"])
        #expect(F.plan(F.at("2026-02-07T17:00:00Z"), entries: [entry], latestRuns: running, zone: berlin).stops.isEmpty)
    }

    @Test("start and stop at the same minute: the stop applies to the run already running, so no start")
    func sameMinute() {
        let entry = F.validEntry("etl", schedule: "{start: \"0 * * * *\", stop: \"0 * * * *\"}")
        let running = F.plan(F.at("2026-02-07T13:00:00Z"), entries: [entry],
                             latestRuns: ["etl": LatestRunInfo(status: .running, active: true)])
        #expect(running.starts.isEmpty)
        #expect(running.stops == ["etl"])
        let idle = F.plan(F.at("2026-02-07T13:00:00Z"), entries: [entry])
        #expect(idle.starts.count == 1)
        #expect(idle.stops.isEmpty)
    }

    @Test("restart entries are ignored")
    func restart() {
        let entry = F.entry("etl", schedule: "{restart: \"0 * * * *\"}")
        #expect(entry.isValid)
        let running = F.plan(F.at("2026-02-07T13:00:00Z"), entries: [entry],
                             latestRuns: ["etl": LatestRunInfo(status: .running, active: true)])
        #expect(running.starts.isEmpty && running.stops.isEmpty)
        #expect(F.plan(F.at("2026-02-07T13:00:00Z"), entries: [entry]).starts.isEmpty)
    }
}
