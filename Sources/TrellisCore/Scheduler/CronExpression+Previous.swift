import Foundation

extension CronExpression {
    /// The last fire instant strictly before `date`, with the same zone and DST rules as
    /// ``next(after:in:)`` (it is the fire instant `f < date` with `next(after: f) >= date`).
    ///
    /// Found with `next(after:)` only: the look-back doubles from one hour until a fire lies in
    /// it, then a binary search over whole minutes narrows it to the last one, so sparse
    /// expressions cost a few dozen calls and frequent ones no more.
    ///
    /// - Returns: nil when the expression never fired in the ~400 years before `date`.
    public func previousFire(before date: Date, in defaultZone: TimeZone) -> Date? {
        guard date.timeIntervalSince1970.isFinite else { return nil }
        // Invariants: a fire lies in (low, date); none lies in (high, date). Both are whole minutes,
        // and so are fire instants, so `high` starts at the last minute before `date`.
        var high = TickClock.minute(containing: date)
        if high == date { high = high.addingTimeInterval(-60) }
        var span: TimeInterval = 3600
        var low: Date?
        while span <= 401 * 366 * 86_400 {
            let candidate = high.addingTimeInterval(-span)
            if let fire = next(after: candidate, in: defaultZone), fire < date {
                low = candidate
                break
            }
            high = candidate
            span *= 2
        }
        guard var low else { return nil }
        while high.timeIntervalSince(low) > 60 {
            let middle = TickClock.minute(containing: low.addingTimeInterval(high.timeIntervalSince(low) / 2))
            if let fire = next(after: middle, in: defaultZone), fire < date {
                low = middle
            } else {
                high = middle
            }
        }
        return next(after: low, in: defaultZone)
    }
}
