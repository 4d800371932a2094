import Foundation
import Testing
@testable import TrellisCore

/// One `next(after:in:)` expectation: instants are ISO-8601 with explicit offsets.
struct CronNextCase: Sendable, CustomTestStringConvertible {
    let expression: String
    let after: String
    let zone: String
    let expected: String?

    init(_ expression: String, after: String, in zone: String = "UTC", expect expected: String?) {
        self.expression = expression
        self.after = after
        self.zone = zone
        self.expected = expected
    }

    var testDescription: String {
        "\(expression) after \(after) in \(zone) → \(expected ?? "nil")"
    }

    /// Checks `next`, and that `fires` agrees at the expected instant and one minute before it.
    func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let cron = try CronExpression(parsing: expression)
        let timeZone = try cronZone(zone)
        let start = try cronInstant(after)
        let result = cron.next(after: start, in: timeZone)
        guard let expected else {
            #expect(result == nil, "got \(cronUTCText(result))", sourceLocation: sourceLocation)
            return
        }
        let expectedDate = try cronInstant(expected)
        #expect(result == expectedDate, "got \(cronUTCText(result)), want \(cronUTCText(expectedDate))", sourceLocation: sourceLocation)
        #expect(cron.fires(atMinute: expectedDate, in: timeZone), sourceLocation: sourceLocation)
        // Nothing fires strictly between `after` and the answer.
        let previousMinute = expectedDate.addingTimeInterval(-60)
        if previousMinute > start {
            #expect(cron.next(after: previousMinute.addingTimeInterval(-1), in: timeZone) != previousMinute,
                    sourceLocation: sourceLocation)
        }
    }
}

@Suite("Cron next fire time")
struct CronNextTests {
    static let cases: [CronNextCase] = [
        // Every minute, seconds and fractions of `after`.
        CronNextCase("* * * * *", after: "2026-01-01T00:00:00Z", expect: "2026-01-01T00:01:00Z"),
        CronNextCase("* * * * *", after: "2026-01-01T00:00:30Z", expect: "2026-01-01T00:01:00Z"),
        CronNextCase("* * * * *", after: "2026-01-01T00:00:59.999Z", expect: "2026-01-01T00:01:00Z"),
        CronNextCase("* * * * *", after: "2026-01-01T00:00:59.999Z", expect: "2026-01-01T00:01:00Z"),
        CronNextCase("? ? ? ? ?", after: "2026-05-31T23:59:00Z", expect: "2026-06-01T00:00:00Z"),
        // Single values.
        CronNextCase("0 * * * *", after: "2026-01-01T00:00:00Z", expect: "2026-01-01T01:00:00Z"),
        CronNextCase("30 9 * * *", after: "2026-01-01T09:29:59Z", expect: "2026-01-01T09:30:00Z"),
        CronNextCase("30 9 * * *", after: "2026-01-01T09:30:00Z", expect: "2026-01-02T09:30:00Z"),
        CronNextCase("0\t12  *\t* *", after: "2026-01-01T00:00:00Z", expect: "2026-01-01T12:00:00Z"),
        // Lists, ranges, steps.
        CronNextCase("5,10,45 * * * *", after: "2026-01-01T10:10:00Z", expect: "2026-01-01T10:45:00Z"),
        CronNextCase("5,10,45 * * * *", after: "2026-01-01T10:45:00Z", expect: "2026-01-01T11:05:00Z"),
        CronNextCase("10-12 * * * *", after: "2026-01-01T10:12:00Z", expect: "2026-01-01T11:10:00Z"),
        CronNextCase("*/15 * * * *", after: "2026-01-01T10:46:00Z", expect: "2026-01-01T11:00:00Z"),
        CronNextCase("10-40/10 * * * *", after: "2026-01-01T10:40:00Z", expect: "2026-01-01T11:10:00Z"),
        CronNextCase("50/5 * * * *", after: "2026-01-01T10:56:00Z", expect: "2026-01-01T11:50:00Z"),
        CronNextCase("0 */6 * * *", after: "2026-01-01T18:00:00Z", expect: "2026-01-02T00:00:00Z"),
        CronNextCase("0 9-17/4 * * *", after: "2026-01-01T13:00:00Z", expect: "2026-01-01T17:00:00Z"),
        CronNextCase("0 9-17/4 * * *", after: "2026-01-01T17:00:00Z", expect: "2026-01-02T09:00:00Z"),
        CronNextCase("30 0 1 */3 *", after: "2026-01-01T00:30:00Z", expect: "2026-04-01T00:30:00Z"),
        // Month ends, year ends.
        CronNextCase("0 0 1 * *", after: "2026-01-31T12:00:00Z", expect: "2026-02-01T00:00:00Z"),
        CronNextCase("0 0 31 * *", after: "2026-01-31T00:00:00Z", expect: "2026-03-31T00:00:00Z"),
        CronNextCase("0 0 31 * *", after: "2026-03-31T00:00:00Z", expect: "2026-05-31T00:00:00Z"),
        CronNextCase("0 0 30 * *", after: "2026-01-30T00:00:00Z", expect: "2026-03-30T00:00:00Z"),
        CronNextCase("59 23 31 12 *", after: "2026-12-31T23:59:00Z", expect: "2027-12-31T23:59:00Z"),
        CronNextCase("0 0 1 1 *", after: "2026-12-31T23:59:59Z", expect: "2027-01-01T00:00:00Z"),
        CronNextCase("0 0 1 1 *", after: "1969-06-01T00:00:00Z", expect: "1970-01-01T00:00:00Z"),
        CronNextCase("0 0 1 1 *", after: "1900-03-01T00:00:00Z", expect: "1901-01-01T00:00:00Z"),
        // Leap years.
        CronNextCase("0 0 29 2 *", after: "2026-01-01T00:00:00Z", expect: "2028-02-29T00:00:00Z"),
        CronNextCase("0 0 29 2 *", after: "2028-02-29T00:00:00Z", expect: "2032-02-29T00:00:00Z"),
        CronNextCase("0 0 29 2 *", after: "2096-03-01T00:00:00Z", expect: "2104-02-29T00:00:00Z"),
        CronNextCase("0 0 29 2 *", after: "1999-01-01T00:00:00Z", expect: "2000-02-29T00:00:00Z"),
        CronNextCase("0 0 28 2 *", after: "2028-02-28T00:00:00Z", expect: "2029-02-28T00:00:00Z"),
        CronNextCase("0 0 29 2 */7", after: "2026-01-01T00:00:00Z", expect: "2032-02-29T00:00:00Z"),
        CronNextCase("0 0 * 2 *", after: "2028-02-28T12:00:00Z", expect: "2028-02-29T00:00:00Z"),
        CronNextCase("0 0 * 2 *", after: "2027-02-28T12:00:00Z", expect: "2028-02-01T00:00:00Z"),
        // Impossible dates.
        CronNextCase("0 0 30 2 *", after: "2026-01-01T00:00:00Z", expect: nil),
        CronNextCase("0 0 31 2 *", after: "2026-01-01T00:00:00Z", expect: nil),
        CronNextCase("0 0 31 4,6,9,11 *", after: "2026-01-01T00:00:00Z", expect: nil),
        CronNextCase("0 0 30,31 FEB *", after: "2026-01-01T00:00:00Z", in: "America/New_York", expect: nil),
        // Day-of-week: numbers, 7, names, ranges.
        CronNextCase("0 0 * * 1", after: "2026-01-01T00:00:00Z", expect: "2026-01-05T00:00:00Z"),
        CronNextCase("0 0 * * 0", after: "2026-01-01T00:00:00Z", expect: "2026-01-04T00:00:00Z"),
        CronNextCase("0 0 * * 7", after: "2026-01-01T00:00:00Z", expect: "2026-01-04T00:00:00Z"),
        CronNextCase("0 0 * * SUN", after: "2026-01-01T00:00:00Z", expect: "2026-01-04T00:00:00Z"),
        CronNextCase("0 0 * * sat", after: "2026-01-01T00:00:00Z", expect: "2026-01-03T00:00:00Z"),
        CronNextCase("0 0 * * MON-FRI", after: "2026-01-02T12:00:00Z", expect: "2026-01-05T00:00:00Z"),
        CronNextCase("0 0 * * FRI-SUN", after: "2026-01-03T12:00:00Z", expect: "2026-01-04T00:00:00Z"),
        CronNextCase("0 0 * * MON/2", after: "2026-01-02T00:00:00Z", expect: "2026-01-05T00:00:00Z"),
        CronNextCase("0 0 * * */2", after: "2026-01-01T00:00:00Z", expect: "2026-01-03T00:00:00Z"),
        // Both day fields restricted: either matches (13th OR Friday).
        CronNextCase("0 0 13 * 5", after: "2026-01-01T00:00:00Z", expect: "2026-01-02T00:00:00Z"),
        CronNextCase("0 0 13 * 5", after: "2026-01-10T00:00:00Z", expect: "2026-01-13T00:00:00Z"),
        CronNextCase("0 0 13 * FRI", after: "2026-01-13T00:00:00Z", expect: "2026-01-16T00:00:00Z"),
        CronNextCase("0 0 29 2 1", after: "2026-02-23T00:00:00Z", expect: "2027-02-01T00:00:00Z"),
        CronNextCase("0 0 30 2 MON", after: "2026-01-01T00:00:00Z", expect: "2026-02-02T00:00:00Z"),
        // A day field starting with * or ?: both must match (odd days that are Fridays).
        CronNextCase("0 0 */2 * 5", after: "2026-01-01T00:00:00Z", expect: "2026-01-09T00:00:00Z"),
        CronNextCase("0 0 */2 * 5", after: "2026-01-09T00:00:00Z", expect: "2026-01-23T00:00:00Z"),
        CronNextCase("0 0 13 * ?", after: "2026-01-01T00:00:00Z", expect: "2026-01-13T00:00:00Z"),
        CronNextCase("0 0 ? * 5", after: "2026-01-03T00:00:00Z", expect: "2026-01-09T00:00:00Z"),
        // Month names.
        CronNextCase("0 0 1 JAN *", after: "2026-06-01T00:00:00Z", expect: "2027-01-01T00:00:00Z"),
        CronNextCase("0 0 1 jan-mar *", after: "2026-03-01T00:00:00Z", expect: "2027-01-01T00:00:00Z"),
        CronNextCase("0 12 * Feb,Dec *", after: "2026-02-28T12:00:00Z", expect: "2026-12-01T12:00:00Z"),
        // Zones without DST, including a 45-minute offset.
        CronNextCase("15 10 * * *", after: "2026-06-01T00:00:00Z", in: "Asia/Kolkata", expect: "2026-06-01T10:15:00+05:30"),
        CronNextCase("0 0 * * *", after: "2026-06-01T00:00:00Z", in: "Asia/Kathmandu", expect: "2026-06-02T00:00:00+05:45"),
        CronNextCase("0 0 1 1 *", after: "2026-06-01T00:00:00Z", in: "Pacific/Kiritimati", expect: "2027-01-01T00:00:00+14:00"),
        CronNextCase("0 0 * * 1", after: "2026-01-04T12:00:00Z", in: "Pacific/Pago_Pago", expect: "2026-01-05T00:00:00-11:00"),
    ]

    @Test("next(after:in:)", arguments: cases)
    func next(_ testCase: CronNextCase) throws {
        try testCase.check()
    }

    @Test("a CRON_TZ or TZ prefix overrides the default zone", arguments: [
        CronNextCase("CRON_TZ=America/New_York 0 9 * * *", after: "2026-01-01T00:00:00Z", expect: "2026-01-01T09:00:00-05:00"),
        CronNextCase("CRON_TZ=America/New_York 0 9 * * *", after: "2026-01-01T00:00:00Z", in: "Asia/Tokyo",
                 expect: "2026-01-01T09:00:00-05:00"),
        CronNextCase("TZ=Europe/Berlin 0 9 * * *", after: "2026-01-01T00:00:00Z", in: "America/New_York",
                 expect: "2026-01-01T09:00:00+01:00"),
        CronNextCase("TZ=Europe/Berlin 0 9 * * *", after: "2026-07-01T00:00:00Z", in: "America/New_York",
                 expect: "2026-07-01T09:00:00+02:00"),
        CronNextCase("CRON_TZ=UTC 0 9 * * *", after: "2026-01-01T00:00:00Z", in: "Asia/Kolkata", expect: "2026-01-01T09:00:00Z"),
        CronNextCase("0 9 * * *", after: "2026-01-01T00:00:00Z", in: "America/New_York", expect: "2026-01-01T09:00:00-05:00"),
        CronNextCase("0 9 * * *", after: "2026-01-01T00:00:00Z", in: "Europe/Berlin", expect: "2026-01-01T09:00:00+01:00"),
        CronNextCase("CRON_TZ=America/New_York 30 2 * * *", after: "2026-03-07T12:00:00Z", expect: "2026-03-09T02:30:00-04:00"),
    ])
    func prefixZone(_ testCase: CronNextCase) throws {
        try testCase.check()
    }

    @Test("impossible expressions return nil quickly, and fires is false")
    func impossibleIsFast() throws {
        let cron = try CronExpression(parsing: "0 0 30 2 *")
        let utcZone = try cronZone("UTC")
        let start = try cronInstant("2026-01-01T00:00:00Z")
        for offset in 0..<1000 {
            let date = start.addingTimeInterval(Double(offset) * 86_400)
            #expect(cron.next(after: date, in: utcZone) == nil)
            #expect(!cron.fires(atMinute: date, in: utcZone))
        }
    }

    @Test("extreme instants do not trap")
    func extremes() throws {
        let cron = try CronExpression(parsing: "* * * * *")
        let utcZone = try cronZone("UTC")
        #expect(cron.next(after: .distantFuture, in: utcZone) != nil)
        #expect(cron.next(after: .distantPast, in: utcZone) != nil)
        #expect(cron.next(after: Date(timeIntervalSince1970: .infinity), in: utcZone) == nil)
        #expect(cron.next(after: Date(timeIntervalSince1970: -.infinity), in: utcZone) == nil)
        #expect(cron.next(after: Date(timeIntervalSince1970: .nan), in: utcZone) == nil)
        #expect(!cron.fires(atMinute: Date(timeIntervalSince1970: .nan), in: utcZone))
    }
}
