import Foundation

/// Minute arithmetic for the scheduler's tick loop (§15.2). Pure: every function takes the time
/// it works on, none reads the clock.
///
/// Minutes are UTC minutes. Every zone in use today is offset from UTC by whole minutes, so a
/// UTC minute boundary is a local one too.
public enum TickClock {
    /// The start of the minute containing `date` (seconds and fractions dropped).
    public static func minute(containing date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else { return date }
        return Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60)
    }

    /// The first minute boundary strictly after `date`: `10:00:00` → `10:01:00`,
    /// `10:00:59.9` → `10:01:00`.
    public static func nextMinute(after date: Date) -> Date {
        minute(containing: date).addingTimeInterval(60)
    }

    /// How long to wait from `now` until the next minute boundary; never zero, at most 60 s.
    public static func delay(untilNextMinuteAfter now: Date) -> Duration {
        let interval = nextMinute(after: now).timeIntervalSince(now)
        return .milliseconds(Int64((interval * 1000).rounded(.up)))
    }

    /// Whether a tick meant for the minute starting at `minute` arrived more than a minute late at
    /// `wokeAt` (host sleep, clock jump). Either way the tick evaluates
    /// `minute(containing: wokeAt)` only, so the minutes in between are never evaluated (§15.2);
    /// this only tells the loop that it should say so.
    public static func isLate(tickFor minute: Date, wokeAt: Date) -> Bool {
        wokeAt.timeIntervalSince(self.minute(containing: minute)) > 60
    }
}
