import Foundation
import Testing
@testable import TrellisCore

/// Transitions used below (2026):
/// - America/New_York: 03-08 02:00 EST → 03:00 EDT (07:00Z); 11-01 02:00 EDT → 01:00 EST (06:00Z),
///   so 01:00-01:59 happens at 05:xxZ (EDT, first) and 06:xxZ (EST, second).
/// - Europe/Berlin: 03-29 02:00 CET → 03:00 CEST (01:00Z); 10-25 03:00 CEST → 02:00 CET (01:00Z),
///   so 02:00-02:59 happens at 00:xxZ (CEST, first) and 01:xxZ (CET, second).
/// - Australia/Sydney: 04-05 03:00 AEDT → 02:00 AEST (16:00Z on 04-04); 10-04 02:00 AEST → 03:00 AEDT.
/// - Australia/Lord_Howe moves by 30 minutes: 04-05 02:00 (+11) → 01:30 (+10:30); 10-04 02:00 → 02:30.
@Suite("Cron and daylight saving time")
struct CronDaylightSavingTests {
    static let newYork: [CronNextCase] = [
        // Spring forward: 02:00-02:59 does not exist on 03-08 and is skipped, not shifted.
        CronNextCase("30 2 * * *", after: "2026-03-07T12:00:00-05:00", in: "America/New_York", expect: "2026-03-09T02:30:00-04:00"),
        CronNextCase("30 2 * * *", after: "2026-03-08T01:59:00-05:00", in: "America/New_York", expect: "2026-03-09T02:30:00-04:00"),
        CronNextCase("30 2 * * *", after: "2026-03-08T03:00:00-04:00", in: "America/New_York", expect: "2026-03-09T02:30:00-04:00"),
        CronNextCase("0 2 * * *", after: "2026-03-07T03:00:00-05:00", in: "America/New_York", expect: "2026-03-09T02:00:00-04:00"),
        CronNextCase("* 2 * * *", after: "2026-03-08T01:00:00-05:00", in: "America/New_York", expect: "2026-03-09T02:00:00-04:00"),
        CronNextCase("0 3 * * *", after: "2026-03-08T01:59:00-05:00", in: "America/New_York", expect: "2026-03-08T03:00:00-04:00"),
        CronNextCase("59 1 * * *", after: "2026-03-08T00:00:00-05:00", in: "America/New_York", expect: "2026-03-08T01:59:00-05:00"),
        CronNextCase("*/15 * * * *", after: "2026-03-08T01:45:00-05:00", in: "America/New_York", expect: "2026-03-08T03:00:00-04:00"),
        CronNextCase("*/15 * * * *", after: "2026-03-08T01:44:59-05:00", in: "America/New_York", expect: "2026-03-08T01:45:00-05:00"),
        CronNextCase("* * * * *", after: "2026-03-08T01:59:00-05:00", in: "America/New_York", expect: "2026-03-08T03:00:00-04:00"),
        CronNextCase("30 2 8 3 *", after: "2026-01-01T00:00:00-05:00", in: "America/New_York", expect: "2027-03-08T02:30:00-05:00"),
        // Fall back: 01:00-01:59 occurs twice on 11-01 and fires only in the first (EDT) pass.
        CronNextCase("30 1 * * *", after: "2026-10-31T12:00:00-04:00", in: "America/New_York", expect: "2026-11-01T01:30:00-04:00"),
        CronNextCase("30 1 * * *", after: "2026-11-01T01:30:00-04:00", in: "America/New_York", expect: "2026-11-02T01:30:00-05:00"),
        CronNextCase("30 1 * * *", after: "2026-11-01T01:10:00-05:00", in: "America/New_York", expect: "2026-11-02T01:30:00-05:00"),
        CronNextCase("30 1 * * *", after: "2026-11-01T01:45:00-05:00", in: "America/New_York", expect: "2026-11-02T01:30:00-05:00"),
        CronNextCase("0 1 * * *", after: "2026-11-01T00:59:59-04:00", in: "America/New_York", expect: "2026-11-01T01:00:00-04:00"),
        CronNextCase("0 2 * * *", after: "2026-11-01T01:59:00-04:00", in: "America/New_York", expect: "2026-11-01T02:00:00-05:00"),
        CronNextCase("0 * * * *", after: "2026-11-01T00:30:00-04:00", in: "America/New_York", expect: "2026-11-01T01:00:00-04:00"),
        CronNextCase("0 * * * *", after: "2026-11-01T01:00:00-04:00", in: "America/New_York", expect: "2026-11-01T02:00:00-05:00"),
        CronNextCase("*/15 * * * *", after: "2026-11-01T01:45:00-04:00", in: "America/New_York", expect: "2026-11-01T02:00:00-05:00"),
        CronNextCase("*/15 * * * *", after: "2026-11-01T01:20:00-05:00", in: "America/New_York", expect: "2026-11-01T02:00:00-05:00"),
        CronNextCase("*/15 * * * *", after: "2026-11-01T01:00:00-05:00", in: "America/New_York", expect: "2026-11-01T02:00:00-05:00"),
        CronNextCase("*/15 * * * *", after: "2026-11-01T00:59:59-05:00", in: "America/New_York", expect: "2026-11-01T02:00:00-05:00"),
        CronNextCase("* * * * *", after: "2026-11-01T01:59:00-04:00", in: "America/New_York", expect: "2026-11-01T02:00:00-05:00"),
        CronNextCase("0 0 * * *", after: "2026-11-01T00:00:00-04:00", in: "America/New_York", expect: "2026-11-02T00:00:00-05:00"),
        CronNextCase("30 1 1 11 *", after: "2026-11-01T01:30:00-04:00", in: "America/New_York", expect: "2027-11-01T01:30:00-04:00"),
    ]

    static let berlin: [CronNextCase] = [
        CronNextCase("30 2 * * *", after: "2026-03-28T12:00:00+01:00", in: "Europe/Berlin", expect: "2026-03-30T02:30:00+02:00"),
        CronNextCase("*/15 * * * *", after: "2026-03-29T01:45:00+01:00", in: "Europe/Berlin", expect: "2026-03-29T03:00:00+02:00"),
        CronNextCase("0 2 29 3 *", after: "2026-01-01T00:00:00+01:00", in: "Europe/Berlin", expect: "2027-03-29T02:00:00+02:00"),
        CronNextCase("30 2 * * *", after: "2026-10-24T12:00:00+02:00", in: "Europe/Berlin", expect: "2026-10-25T02:30:00+02:00"),
        CronNextCase("30 2 * * *", after: "2026-10-25T02:30:00+02:00", in: "Europe/Berlin", expect: "2026-10-26T02:30:00+01:00"),
        CronNextCase("30 2 * * *", after: "2026-10-25T02:40:00+01:00", in: "Europe/Berlin", expect: "2026-10-26T02:30:00+01:00"),
        CronNextCase("30 2 * * *", after: "2026-10-25T02:10:00+01:00", in: "Europe/Berlin", expect: "2026-10-26T02:30:00+01:00"),
        CronNextCase("*/15 * * * *", after: "2026-10-25T02:45:00+02:00", in: "Europe/Berlin", expect: "2026-10-25T03:00:00+01:00"),
        CronNextCase("*/15 * * * *", after: "2026-10-25T02:05:00+01:00", in: "Europe/Berlin", expect: "2026-10-25T03:00:00+01:00"),
        CronNextCase("0 3 * * *", after: "2026-10-25T02:59:00+02:00", in: "Europe/Berlin", expect: "2026-10-25T03:00:00+01:00"),
        CronNextCase("15 2 25 10 *", after: "2026-10-25T02:15:00+02:00", in: "Europe/Berlin", expect: "2027-10-25T02:15:00+02:00"),
    ]

    static let southernAndOthers: [CronNextCase] = [
        // Sydney: gap in October, repeated hour in April.
        CronNextCase("30 2 * * *", after: "2026-10-03T12:00:00+10:00", in: "Australia/Sydney", expect: "2026-10-05T02:30:00+11:00"),
        CronNextCase("30 2 * * *", after: "2026-04-04T12:00:00+11:00", in: "Australia/Sydney", expect: "2026-04-05T02:30:00+11:00"),
        CronNextCase("30 2 * * *", after: "2026-04-05T02:30:00+10:00", in: "Australia/Sydney", expect: "2026-04-06T02:30:00+10:00"),
        CronNextCase("30 2 * * *", after: "2026-04-05T02:00:00+10:00", in: "Australia/Sydney", expect: "2026-04-06T02:30:00+10:00"),
        CronNextCase("*/15 * * * *", after: "2026-04-05T02:45:00+11:00", in: "Australia/Sydney", expect: "2026-04-05T03:00:00+10:00"),
        CronNextCase("*/15 * * * *", after: "2026-10-04T01:45:00+10:00", in: "Australia/Sydney", expect: "2026-10-04T03:00:00+11:00"),
        // Lord Howe: half-hour shifts.
        CronNextCase("15 2 * * *", after: "2026-10-03T12:00:00+10:30", in: "Australia/Lord_Howe", expect: "2026-10-05T02:15:00+11:00"),
        CronNextCase("45 2 * * *", after: "2026-10-03T12:00:00+10:30", in: "Australia/Lord_Howe", expect: "2026-10-04T02:45:00+11:00"),
        CronNextCase("*/15 * * * *", after: "2026-04-05T01:45:00+11:00", in: "Australia/Lord_Howe", expect: "2026-04-05T02:00:00+10:30"),
        CronNextCase("45 1 * * *", after: "2026-04-05T01:30:00+10:30", in: "Australia/Lord_Howe", expect: "2026-04-06T01:45:00+10:30"),
        // No DST at all.
        CronNextCase("30 2 * * *", after: "2026-03-08T00:00:00Z", in: "Asia/Kolkata", expect: "2026-03-09T02:30:00+05:30"),
        CronNextCase("30 1 * * *", after: "2026-11-01T00:00:00+05:30", in: "Asia/Kolkata", expect: "2026-11-01T01:30:00+05:30"),
        // Samoa skipped the whole of 2011-12-30 when it crossed the date line.
        CronNextCase("0 12 30 12 *", after: "2011-01-01T00:00:00-11:00", in: "Pacific/Apia", expect: "2012-12-30T12:00:00+14:00"),
        CronNextCase("0 12 * * *", after: "2011-12-29T12:00:00-10:00", in: "Pacific/Apia", expect: "2011-12-31T12:00:00+14:00"),
    ]

    @Test("America/New_York", arguments: newYork)
    func newYorkTransitions(_ testCase: CronNextCase) throws { try testCase.check() }

    @Test("Europe/Berlin", arguments: berlin)
    func berlinTransitions(_ testCase: CronNextCase) throws { try testCase.check() }

    @Test("southern hemisphere, half-hour shifts, no DST, skipped day", arguments: southernAndOthers)
    func otherZones(_ testCase: CronNextCase) throws { try testCase.check() }

    /// Fire instants in `[start, end)`, found by iterating `next` from one second before `start`.
    static func fireTimes(_ text: String, zone identifier: String, from start: String, to end: String) throws -> [Date] {
        let cron = try CronExpression(parsing: text)
        let timeZone = try cronZone(identifier)
        let endDate = try cronInstant(end)
        var cursor = try cronInstant(start).addingTimeInterval(-1)
        var fires: [Date] = []
        while let next = cron.next(after: cursor, in: timeZone), next < endDate {
            fires.append(next)
            cursor = next
        }
        return fires
    }

    @Test("fire counts over whole transition days and years", arguments: [
        // Every local minute fires once: the 23-hour day has 1380, the 25-hour day 1440.
        ("* * * * *", "America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", 1380),
        ("* * * * *", "America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", 1440),
        ("*/15 * * * *", "Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 92),
        ("*/15 * * * *", "Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 96),
        ("*/30 * * * *", "Australia/Lord_Howe", "2026-10-04T00:00:00+10:30", "2026-10-05T00:00:00+11:00", 47),
        ("*/30 * * * *", "Australia/Lord_Howe", "2026-04-05T00:00:00+11:00", "2026-04-06T00:00:00+10:30", 48),
        // Daily jobs over a year: one fire per day, except a time that falls in the gap.
        ("30 1 * * *", "America/New_York", "2026-01-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00", 365),
        ("30 2 * * *", "America/New_York", "2026-01-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00", 364),
        ("30 2 * * *", "Europe/Berlin", "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00", 364),
        ("30 2 * * *", "Asia/Kolkata", "2026-01-01T00:00:00+05:30", "2027-01-01T00:00:00+05:30", 365),
        ("0 0 * * MON-FRI", "Europe/Berlin", "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00", 261),
        ("0 0 13 * FRI", "UTC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 12 + 52 - 3),
    ])
    func fireCounts(expression: String, zone: String, start: String, end: String, count: Int) throws {
        let fires = try Self.fireTimes(expression, zone: zone, from: start, to: end)
        #expect(fires.count == count)
        #expect(Set(fires).count == fires.count)
    }

    @Test("on the fall-back day each local hour fires once, the repeated one in its first pass")
    func fallBackHourly() throws {
        let fires = try Self.fireTimes(
            "0 * * * *", zone: "America/New_York",
            from: "2026-11-01T00:00:00-04:00", to: "2026-11-01T04:00:00-05:00"
        )
        let expected = try [
            "2026-11-01T00:00:00-04:00", "2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00",
            "2026-11-01T03:00:00-05:00",
        ].map { try cronInstant($0) }
        #expect(fires == expected)
    }
}
