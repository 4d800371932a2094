import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: previous fire time of a cron entry")
struct SchedulerPreviousFireTests {
    typealias F = SchedulerFixture

    @Test("table", arguments: [
        ("0 * * * *", "UTC", "2026-02-07T12:00:00Z", "2026-02-07T11:00:00Z"),
        ("0 * * * *", "UTC", "2026-02-07T12:00:30Z", "2026-02-07T12:00:00Z"),
        ("0 * * * *", "UTC", "2026-02-07T12:34:00Z", "2026-02-07T12:00:00Z"),
        ("* * * * *", "UTC", "2026-02-07T12:00:00Z", "2026-02-07T11:59:00Z"),
        ("0 9,17 * * *", "UTC", "2026-02-07T17:00:00Z", "2026-02-07T09:00:00Z"),
        ("0 9,17 * * *", "UTC", "2026-02-07T09:00:00Z", "2026-02-06T17:00:00Z"),
        ("0 0 1 * *", "UTC", "2026-03-01T00:00:00Z", "2026-02-01T00:00:00Z"),
        ("0 0 1 1 *", "UTC", "2026-01-01T00:00:00Z", "2025-01-01T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2024-02-29T00:00:00Z"),
        // Spring forward in New York: 02:30 does not exist on 2026-03-08.
        ("30 2 * * *", "America/New_York", "2026-03-09T06:30:00Z", "2026-03-07T07:30:00Z"),
        // Fall back in New York: 01:30 happens twice on 2026-11-01 and fires at the first (EDT).
        ("30 1 * * *", "America/New_York", "2026-11-02T06:30:00Z", "2026-11-01T05:30:00Z"),
        ("30 1 * * *", "America/New_York", "2026-11-01T06:45:00Z", "2026-11-01T05:30:00Z"),
        // Per-entry zone wins over the default.
        ("CRON_TZ=Asia/Tokyo 0 9 * * *", "UTC", "2026-02-07T00:00:00Z", "2026-02-06T00:00:00Z"),
    ])
    func previousFire(expression: String, zone: String, before: String, expected: String) throws {
        let cron = try CronExpression(parsing: expression)
        let previous = cron.previousFire(before: F.at(before), in: F.zone(zone))
        #expect(F.text(previous) == expected)
    }

    @Test("agrees with a minute-by-minute scan backwards", arguments: [
        ("*/7 * * * *", "Europe/Berlin"), ("30 2 * * *", "Europe/Berlin"), ("0,30 1,2,3 * * *", "America/New_York"),
        ("15 */5 * * 1-5", "America/New_York"), ("59 23 * * *", "UTC"),
    ])
    func agreesWithScan(expression: String, zone: String) throws {
        let cron = try CronExpression(parsing: expression)
        let tz = F.zone(zone)
        // Around both 2026 transitions of both zones.
        let anchors = ["2026-03-08T08:13:00Z", "2026-03-29T02:01:00Z", "2026-10-25T02:30:00Z", "2026-11-01T07:07:00Z"]
        for anchor in anchors {
            for offset in stride(from: 0, to: 6 * 3600, by: 1_337) {
                let before = F.at(anchor).addingTimeInterval(TimeInterval(offset))
                var scan = TickClock.minute(containing: before.addingTimeInterval(-1))
                var found: Date?
                for _ in 0..<(4 * 24 * 60) {
                    if cron.fires(atMinute: scan, in: tz) { found = scan; break }
                    scan = scan.addingTimeInterval(-60)
                }
                #expect(cron.previousFire(before: before, in: tz) == found, "\(expression) before \(F.text(before))")
            }
        }
    }

    @Test("an expression that never fired has no previous fire")
    func never() throws {
        let cron = try CronExpression(parsing: "0 0 30 2 *")
        #expect(cron.previousFire(before: F.at("2026-03-01T00:00:00Z"), in: F.utc) == nil)
    }
}
