import Foundation

/// `nextRun` (§15.5): the earliest next fire time of the start cron entries and pending one-off
/// times after `now`; none for DAGs without start schedules, with errors, or suspended.
public enum NextRun {
    public static func of(_ entry: CatalogEntry, after now: Date, zone: TimeZone) -> Date? {
        guard entry.isValid, !entry.suspended, let dag = entry.load.dag else { return nil }
        return of(dag.schedule, after: now, zone: zone)
    }

    public static func of(_ schedule: Schedule, after now: Date, zone: TimeZone) -> Date? {
        var earliest: Date?
        for item in schedule.start {
            let candidate: Date?
            switch item {
            case .cron(let cron): candidate = cron.next(after: now, in: zone)
            case .at(let date, _): candidate = date > now ? date : nil
            }
            if let candidate, candidate < (earliest ?? .distantFuture) { earliest = candidate }
        }
        return earliest
    }
}
