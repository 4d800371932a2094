import Foundation
import Testing
@testable import TrellisCore

/// Compares `next` and `fires` with a brute-force model built independently of the
/// implementation: walk every UTC minute, read its wall clock with `Calendar`, match the fields
/// by hand, and fire only the first time a wall-clock minute is seen.
@Suite("Cron against a brute-force model")
struct CronReferenceTests {
    struct Window: Sendable, CustomTestStringConvertible {
        let zone: String
        /// An instant near a transition (or any instant for zones without one).
        let center: String
        var testDescription: String { "\(zone) around \(center)" }
    }

    static let windows: [Window] = [
        Window(zone: "America/New_York", center: "2026-03-08T07:00:00Z"),
        Window(zone: "America/New_York", center: "2026-11-01T06:00:00Z"),
        Window(zone: "Europe/Berlin", center: "2026-03-29T01:00:00Z"),
        Window(zone: "Europe/Berlin", center: "2026-10-25T01:00:00Z"),
        Window(zone: "Australia/Sydney", center: "2026-04-04T16:00:00Z"),
        Window(zone: "Australia/Sydney", center: "2026-10-03T16:00:00Z"),
        Window(zone: "Australia/Lord_Howe", center: "2026-04-04T15:00:00Z"),
        Window(zone: "Australia/Lord_Howe", center: "2026-10-03T15:30:00Z"),
        Window(zone: "Asia/Kolkata", center: "2026-03-08T07:00:00Z"),
        // Chile changes at midnight, so "0 0 * * *" meets both the gap and the repeated hour.
        Window(zone: "America/Santiago", center: "2026-04-05T03:00:00Z"),
        Window(zone: "America/Santiago", center: "2026-09-06T04:00:00Z"),
    ]

    /// Expressions whose next fire is always within a day, so the model window covers it.
    static let expressions = [
        "* * * * *", "*/15 * * * *", "*/7 * * * *", "0,30 * * * *", "30 2 * * *", "30 1 * * *",
        "45 1-3 * * *", "0 2 * * *", "59 1 * * *", "0 3 * * *", "15,45 0-4 * * *", "0 0 * * *",
        "5 23 * * *",
    ]

    /// Each UTC minute in `[from, to)` (as seconds) with its wall-clock reading from `Calendar`,
    /// flagged when that reading is seen for the first time.
    static func wallClock(zone: TimeZone, from: Int, to: Int) -> [(minute: Int, components: DateComponents, isFirst: Bool)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var seen = Set<DateComponents>()
        return stride(from: from, to: to, by: 60).map { minute in
            let components = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .weekday],
                from: Date(timeIntervalSince1970: TimeInterval(minute))
            )
            return (minute, components, seen.insert(components).inserted)
        }
    }

    /// The field rules restated directly from the parsed value sets and the source text:
    /// the day fields combine with OR only when neither starts with `*` or `?`.
    struct Model {
        let minutes, hours, daysOfMonth, months, daysOfWeek: Set<Int>
        let dayFieldsUseOr: Bool

        init(_ cron: CronExpression) {
            minutes = Set(cron.minutes.values)
            hours = Set(cron.hours.values)
            daysOfMonth = Set(cron.daysOfMonth.values)
            months = Set(cron.months.values)
            daysOfWeek = Set(cron.daysOfWeek.values)
            let fields = cron.source.split(separator: " ")
            let isStar = { (field: Substring) in field.hasPrefix("*") || field.hasPrefix("?") }
            dayFieldsUseOr = !isStar(fields[2]) && !isStar(fields[4])
        }

        func matches(_ components: DateComponents) -> Bool {
            guard let minute = components.minute, let hour = components.hour, let day = components.day,
                let month = components.month, let weekday = components.weekday
            else { return false }
            let dayOfMonth = daysOfMonth.contains(day)
            let dayOfWeek = daysOfWeek.contains(weekday - 1)
            let dayMatches = dayFieldsUseOr ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek
            return minutes.contains(minute) && hours.contains(hour) && months.contains(month) && dayMatches
        }
    }

    @Test("next and fires agree with the model for every minute near transitions", arguments: windows)
    func agreesWithModel(_ window: Window) throws {
        let timeZone = try cronZone(window.zone)
        let center = Int(try cronInstant(window.center).timeIntervalSince1970)
        // The model starts 30 h early so first occurrences are known; queries cover ±5 h.
        let modelStart = center - 30 * 3600
        let modelEnd = center + 36 * 3600
        let readings = Self.wallClock(zone: timeZone, from: modelStart, to: modelEnd)
        for text in Self.expressions {
            let cron = try CronExpression(parsing: text)
            let model = Model(cron)
            let fires = readings.filter { $0.isFirst && model.matches($0.components) }.map(\.minute)
            let fireSet = Set(fires)
            var failures = 0
            for query in stride(from: center - 5 * 3600, to: center + 5 * 3600, by: 60) {
                let expected = fires.first(where: { $0 > query }).map { Date(timeIntervalSince1970: TimeInterval($0)) }
                let queryDate = Date(timeIntervalSince1970: TimeInterval(query))
                let got = cron.next(after: queryDate, in: timeZone)
                let gotFromMidMinute = cron.next(after: queryDate.addingTimeInterval(29.5), in: timeZone)
                let fires = cron.fires(atMinute: queryDate, in: timeZone)
                let firesMidMinute = cron.fires(atMinute: queryDate.addingTimeInterval(59), in: timeZone)
                if got != expected || gotFromMidMinute != expected || fires != fireSet.contains(query)
                    || firesMidMinute != fires
                {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("\(text) in \(window.zone) after \(cronUTCText(queryDate)): got \(cronUTCText(got)), want \(cronUTCText(expected)), fires \(fires)")
                    }
                }
            }
            #expect(failures == 0, "\(text): \(failures) mismatches")
        }
    }

    @Test("fires(atMinute:) is next(after: minute - 1 s) == minute", arguments: [
        ("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", true),
        ("30 1 * * *", "America/New_York", "2026-11-01T06:30:00Z", false),
        ("30 2 * * *", "America/New_York", "2026-03-08T07:30:00Z", false),
        ("30 3 * * *", "America/New_York", "2026-03-08T07:30:00Z", true),
        ("30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", true),
        ("30 2 * * *", "Europe/Berlin", "2026-10-25T01:30:00Z", false),
        ("0 9 * * MON-FRI", "UTC", "2026-01-05T09:00:00Z", true),
        ("0 9 * * MON-FRI", "UTC", "2026-01-05T09:00:42Z", true),
        ("0 9 * * MON-FRI", "UTC", "2026-01-04T09:00:00Z", false),
        ("0 9 * * MON-FRI", "UTC", "2026-01-05T09:01:00Z", false),
        ("CRON_TZ=Asia/Kolkata 0 9 * * *", "UTC", "2026-01-05T03:30:00Z", true),
        ("CRON_TZ=Asia/Kolkata 0 9 * * *", "UTC", "2026-01-05T09:00:00Z", false),
    ])
    func firesTable(expression: String, zone identifier: String, minute: String, fires: Bool) throws {
        let cron = try CronExpression(parsing: expression)
        let timeZone = try cronZone(identifier)
        let date = try cronInstant(minute)
        #expect(cron.fires(atMinute: date, in: timeZone) == fires)
        let minuteStart = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
        #expect((cron.next(after: minuteStart.addingTimeInterval(-1), in: timeZone) == minuteStart) == fires)
    }

    @Test("next is fast enough to call thousands of times per second")
    func performance() throws {
        let timeZone = try cronZone("America/New_York")
        let crons = try ["*/15 * * * *", "30 2 * * *", "0 0 29 2 *", "0 0 13 * FRI", "0 0 30 2 *", "0 9 * * 1-5"]
            .map { try CronExpression(parsing: $0) }
        var cursor = try cronInstant("2026-01-01T00:00:00Z")
        var found = 0
        for index in 0..<6000 {
            if crons[index % crons.count].next(after: cursor, in: timeZone) != nil { found += 1 }
            cursor.addTimeInterval(3917)
        }
        // Speed is measured by the benchmark harness, not here: tests must not fail on a slow machine.
        #expect(found == 5000)
    }
}
