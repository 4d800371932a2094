import Foundation

/// `nextRun` (§15.5), consistent with ``TickPlanner``: the earliest of each cron start entry's
/// next fire time after `now` and each pending one-off.
///
/// A one-off's status comes from the scheduler state; without a record it gets the status it
/// would get if the scheduler saw it now (past minute → consumed). A pending one-off whose time
/// has come but that has not fired yet (the DAG was busy, the scheduler down) fires at the next
/// tick at the earliest, so that tick is reported rather than a time in the past.
/// None for DAGs without start schedules, with errors, or suspended. Guards (active runs,
/// `skip_if_successful`) are not predicted.
public enum NextRunPlanner {
    /// The next run of a catalog entry. Pass the scheduler
    /// state when it is at hand (`data/scheduler/state.json`).
    public static func nextRun(of entry: CatalogEntry, after now: Date, zone: TimeZone,
                               state: SchedulerState? = nil) -> Date? {
        guard entry.isValid, !entry.suspended, let dag = entry.load.dag else { return nil }
        return nextRun(of: dag.schedule, dagName: dag.name, after: now, zone: zone, state: state)
    }

    /// The next run of a schedule of the DAG named `dagName`.
    public static func nextRun(of schedule: Schedule, dagName: String, after now: Date, zone: TimeZone,
                               state: SchedulerState? = nil) -> Date? {
        var earliest: Date?
        for item in schedule.start {
            let candidate: Date?
            switch item {
            case .cron(let cron):
                candidate = cron.next(after: now, in: zone)
            case .at(let date, _):
                let status = (state ?? SchedulerState()).oneOffStatus(dagName: dagName, at: date, now: now)
                candidate = status == .pending ? firstTick(after: now, for: date) : nil
            }
            if let candidate, candidate < (earliest ?? .distantFuture) { earliest = candidate }
        }
        return earliest
    }

    /// A one-off at or before `now` fires at the next tick; a later one at its time.
    private static func firstTick(after now: Date, for date: Date) -> Date {
        date > now ? date : TickClock.nextMinute(after: now)
    }
}
