import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: tick clock")
struct SchedulerTickClockTests {
    typealias F = SchedulerFixture

    @Test("the minute containing an instant", arguments: [
        ("2026-03-08T10:00:00Z", "2026-03-08T10:00:00Z"),
        ("2026-03-08T10:00:00.001Z", "2026-03-08T10:00:00Z"),
        ("2026-03-08T10:00:59.999Z", "2026-03-08T10:00:00Z"),
        ("2026-03-08T23:59:30Z", "2026-03-08T23:59:00Z"),
        ("1969-12-31T23:59:30Z", "1969-12-31T23:59:00Z"),
    ])
    func minuteContaining(instant: String, expected: String) {
        #expect(TickClock.minute(containing: F.at(instant)) == F.at(expected))
    }

    @Test("the next minute boundary is strictly after", arguments: [
        ("2026-03-08T10:00:00Z", "2026-03-08T10:01:00Z"),
        ("2026-03-08T10:00:00.5Z", "2026-03-08T10:01:00Z"),
        ("2026-03-08T10:00:59.999Z", "2026-03-08T10:01:00Z"),
        ("2026-12-31T23:59:10Z", "2027-01-01T00:00:00Z"),
    ])
    func nextMinute(instant: String, expected: String) {
        #expect(TickClock.nextMinute(after: F.at(instant)) == F.at(expected))
    }

    @Test("the delay until the next boundary", arguments: [
        ("2026-03-08T10:00:00Z", 60_000),
        ("2026-03-08T10:00:59.5Z", 500),
        ("2026-03-08T10:00:15.25Z", 44_750),
    ])
    func delay(instant: String, milliseconds: Int64) {
        #expect(TickClock.delay(untilNextMinuteAfter: F.at(instant)) == .milliseconds(milliseconds))
    }

    @Test("a tick is late when it wakes more than a minute after its minute began", arguments: [
        ("2026-03-08T10:01:00.2Z", false),
        ("2026-03-08T10:01:59Z", false),
        ("2026-03-08T10:02:00Z", false),
        ("2026-03-08T10:02:00.5Z", true),
        ("2026-03-08T13:00:00Z", true),
    ])
    func lateness(wokeAt: String, late: Bool) {
        #expect(TickClock.isLate(tickFor: F.at("2026-03-08T10:01:00Z"), wokeAt: F.at(wokeAt)) == late)
    }
}
