import Foundation

extension CronExpression {
    /// How many years past the starting point the search for a matching day goes before giving
    /// up. Expressions that can never match (`0 0 30 2 *`) are recognised up front and return
    /// nil at once; this bound only guarantees termination, and is long enough for rare but
    /// possible days such as February 29 that must also be a Sunday.
    static let searchHorizonYears = 400

    /// The first fire instant strictly after `date`.
    ///
    /// Evaluation is on the wall clock of the prefix zone if the expression has one, else of
    /// `defaultZone`. A wall-clock time skipped by a forward DST transition does not fire; a
    /// wall-clock time that occurs twice fires only at its first occurrence, so during the
    /// repeated hour nothing fires a second time. Fire instants are whole minutes (in zones whose
    /// UTC offset is a whole number of minutes, which is every zone since the early 1970s).
    ///
    /// - Returns: nil if the expression can never match a real date (for example February 30),
    ///   or if it does not fire within ``searchHorizonYears`` years.
    public func next(after date: Date, in defaultZone: TimeZone) -> Date? {
        guard canEverMatch else { return nil }
        let seconds = date.timeIntervalSince1970
        // Keep well inside Int and inside the range where Date is meaningful.
        guard seconds.isFinite, abs(seconds) < 1e13 else { return nil }
        let clock = CronWallClock(zone: zone(default: defaultZone))
        let after = Int(seconds.rounded(.down))

        // Scan wall-clock minutes upward from a reading no later than the answer's. Readings
        // before local(after) were normally already passed (first occurrence <= after), but a
        // reading skipped by a gap could come round again after a later fall-back, so start from
        // the lowest offset in force over the next 32 h: if the answer lies within 32 h, its
        // offset is at least that (assuming one transition in between); if it lies further
        // away, its reading is later than after + 16 h anyway.
        let lowestOffset = min(clock.offset(at: after), clock.offset(at: after + 2 * CronWallClock.maximumOffset))
        var cursor = CronLocalMinute(localSeconds: after + lowestOffset)
        let lastYear = cursor.year + Self.searchHorizonYears

        while let candidate = nextLocalMatch(atOrAfter: cursor, throughYear: lastYear) {
            if let instant = clock.firstInstant(localSeconds: candidate.localSeconds),
                TimeInterval(instant) > seconds
            {
                return Date(timeIntervalSince1970: TimeInterval(instant))
            }
            cursor = candidate
            cursor.minute += 1
        }
        return nil
    }

    /// True when a fire instant equals the minute that starts at `minuteStart` (seconds and
    /// fractions of `minuteStart` are ignored).
    ///
    /// Exactly `next(after: m - 1 second, in: defaultZone) == m`, where `m` is `minuteStart`
    /// rounded down to its minute.
    public func fires(atMinute minuteStart: Date, in defaultZone: TimeZone) -> Bool {
        let seconds = minuteStart.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e13 else { return false }
        let minute = TimeInterval(CronLocalMinute.floorDivide(Int(seconds.rounded(.down)), 60) * 60)
        guard let fire = next(after: Date(timeIntervalSince1970: minute - 1), in: defaultZone) else {
            return false
        }
        return fire.timeIntervalSince1970 == minute
    }

    /// The first wall-clock minute at or after `start` that the fields match, skipping whole
    /// months, days and hours that cannot match; nil if none up to the end of `lastYear`.
    ///
    /// `start` may carry an overflowing minute (60) or hour (24); it is carried forward.
    func nextLocalMatch(atOrAfter start: CronLocalMinute, throughYear lastYear: Int) -> CronLocalMinute? {
        var year = start.year
        var month = start.month
        var day = start.day
        var hour = start.hour
        var minute = start.minute
        while year <= lastYear {
            guard let matchingMonth = months.first(atOrAfter: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if matchingMonth != month {
                (month, day, hour, minute) = (matchingMonth, 1, 0, 0)
            }
            guard let matchingDay = firstMatchingDay(year: year, month: month, from: day) else {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                continue
            }
            if matchingDay != day {
                (day, hour, minute) = (matchingDay, 0, 0)
            }
            guard let matchingHour = hours.first(atOrAfter: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if matchingHour != hour {
                (hour, minute) = (matchingHour, 0)
            }
            guard let matchingMinute = minutes.first(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return CronLocalMinute(year: year, month: month, day: day, hour: hour, minute: matchingMinute)
        }
        return nil
    }

    /// The first day `>= day` of the month whose date matches the day fields, else nil.
    /// A `month` of 13 (carried from December) yields nil, moving the search to the next year.
    private func firstMatchingDay(year: Int, month: Int, from day: Int) -> Int? {
        guard (1...12).contains(month), day >= 1 else { return nil }
        let length = CivilDate.daysInMonth(year: year, month: month)
        guard day <= length else { return nil }
        let firstWeekday = CivilDate.weekday(days: CivilDate.days(year: year, month: month, day: 1))
        for candidate in day...length {
            let weekday = (firstWeekday + candidate - 1) % 7
            if matchesDay(month: month, day: candidate, weekday: weekday) {
                return candidate
            }
        }
        return nil
    }
}
