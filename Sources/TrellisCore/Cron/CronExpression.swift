import Foundation

/// A parsed five-field cron expression (spec §15.1).
///
/// Fields are minute (0-59), hour (0-23), day-of-month (1-31), month (1-12 or `JAN`-`DEC`) and
/// day-of-week (0-7, 0 and 7 both Sunday, or `SUN`-`SAT`). Each accepts `*`, `?` (same as `*`),
/// lists, ranges and steps. When both day fields are restricted (neither starts with `*` or `?`)
/// a day matches if either matches; otherwise both must match.
///
/// An optional `CRON_TZ=Area/City ` or `TZ=Area/City ` prefix fixes the zone in which the
/// expression is evaluated. Evaluation is on local wall-clock time: a local time that does not
/// exist (spring-forward gap) is skipped, and a local time that occurs twice (fall-back) fires
/// once, at its first occurrence.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text as written, trimmed, including any `CRON_TZ=` or `TZ=` prefix.
    public let source: String
    /// The zone named by a `CRON_TZ=` or `TZ=` prefix, as written; nil if there is no prefix.
    public let timeZoneIdentifier: String?
    /// Advice about valid but misleading parts, such as a `*/7` minute step that does not divide 60.
    public let warnings: [String]

    /// The zone resolved from the prefix, if any.
    let timeZone: TimeZone?
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField
    /// Whether some calendar day can ever match; false for expressions such as `0 0 30 2 *`.
    let canEverMatch: Bool

    /// Parses a cron expression.
    ///
    /// - Throws: ``CronError`` naming the field and value for any syntax or range problem, an
    ///   unknown prefix zone, a wrong number of fields, or an `@` descriptor such as `@daily`.
    public init(parsing text: String) throws(CronError) {
        let parsed = try CronParser().parse(text)
        source = parsed.source
        timeZoneIdentifier = parsed.timeZoneIdentifier
        warnings = parsed.warnings
        timeZone = parsed.timeZone
        minutes = parsed.minutes
        hours = parsed.hours
        daysOfMonth = parsed.daysOfMonth
        months = parsed.months
        daysOfWeek = parsed.daysOfWeek
        canEverMatch = Self.canEverMatch(months: months, daysOfMonth: daysOfMonth, daysOfWeek: daysOfWeek)
    }

    /// The source text.
    public var description: String { source }

    /// The prefix zone if there is one, else `defaultZone`.
    func zone(default defaultZone: TimeZone) -> TimeZone {
        timeZone ?? defaultZone
    }

    /// True when the two day fields combine with OR (both restricted, Vixie cron rule).
    var daysCombineWithOr: Bool {
        Self.daysCombineWithOr(daysOfMonth: daysOfMonth, daysOfWeek: daysOfWeek)
    }

    private static func daysCombineWithOr(daysOfMonth: CronField, daysOfWeek: CronField) -> Bool {
        !daysOfMonth.isStar && !daysOfWeek.isStar
    }

    /// Whether the calendar day matches the day-of-month, month and day-of-week fields.
    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dayOfMonthMatches = daysOfMonth.contains(day)
        let dayOfWeekMatches = daysOfWeek.contains(weekday)
        return daysCombineWithOr
            ? dayOfMonthMatches || dayOfWeekMatches
            : dayOfMonthMatches && dayOfWeekMatches
    }

    /// Whether some calendar day can ever match the fields.
    ///
    /// With OR semantics any matching weekday suffices. With AND semantics a valid
    /// (month, day-of-month) pair is needed; every such date falls on every weekday within a
    /// 400-year Gregorian cycle, so the weekday field cannot make it impossible.
    private static func canEverMatch(months: CronField, daysOfMonth: CronField, daysOfWeek: CronField) -> Bool {
        if daysCombineWithOr(daysOfMonth: daysOfMonth, daysOfWeek: daysOfWeek) { return true }
        for month in months.values {
            let longest = CivilDate.maximumDays(inMonth: month)
            if daysOfMonth.values.contains(where: { $0 <= longest }) { return true }
        }
        return false
    }
}
