import Foundation

/// Decides what one scheduler tick does (§15.2–§15.4). Pure: the catalog, the state, the latest
/// runs and the minute come in; starts, stops and the next state go out.
///
/// Per DAG, in catalog order:
/// 1. DAGs with errors and suspended DAGs get nothing.
/// 2. Candidates: pending one-offs with `at ≤ minute`, and cron entries with a fire time equal to
///    the minute (the entry's `CRON_TZ`, else `zone`).
/// 3. Guards, all required: no active run; the latest run's `scheduleTime` is not at or after the
///    candidate's slot; `skip_if_successful` does not apply (cron entries only — a one-off has no
///    previous fire time).
/// 4. Of the candidates that pass, the earliest slot starts (a one-off before a cron at the same
///    slot); at most one start per DAG. A DAG whose `queue:` names a declared global queue is
///    enqueued, others start directly.
/// 5. Due stop entries then stop the DAG when its latest run is running. Restart entries are
///    ignored ([later]).
///
/// One-off bookkeeping: the one-off that starts becomes `consumed`; a pending one-off whose slot a
/// run already covers (latest `scheduleTime ≥ at`: a replay after failover or restart) becomes
/// `consumed` without a start; one blocked by an active run, or beaten by an earlier slot, stays
/// pending and is tried again next tick.
public struct TickPlanner: Sendable {
    public init() {}

    /// Plans the tick for the minute containing `minute`.
    ///
    /// - Parameters:
    ///   - minute: the minute to evaluate; seconds are dropped. A tick more than a minute late
    ///     passes the current minute, so the minutes it slept through are not evaluated.
    ///   - previousTick: the last minute evaluated (`state.lastTick` when it is not in the
    ///     future). A minute at or before it was already evaluated: the plan then has no starts
    ///     and no stops, so a repeated tick (an early timer, a clock stepped back) never fires
    ///     twice.
    ///   - latestRuns: by DAG name; a DAG without runs has no entry.
    ///   - globalQueues: names of the queues declared in the config (§14.1).
    ///   - zone: the configured `tz` (else the system zone) for cron entries without `CRON_TZ`.
    public func plan(tick minute: Date, previousTick: Date?, entries: [CatalogEntry], state: SchedulerState,
                     latestRuns: [String: LatestRunInfo], globalQueues: Set<String>, zone: TimeZone) -> TickPlan {
        let minute = TickClock.minute(containing: minute)
        var newState = state.reconciled(with: entries, now: minute)
        if let previousTick, TickClock.minute(containing: previousTick) >= minute {
            return TickPlan(minute: minute, newState: newState)
        }
        newState.lastTick = minute
        var starts: [PlannedStart] = []
        var stops: [String] = []
        var planned: Set<String> = []
        for entry in entries {
            guard entry.isValid, !entry.suspended, let dag = entry.load.dag, planned.insert(dag.name).inserted else { continue }
            let latest = latestRuns[dag.name]
            let decision = StartDecision.decide(for: dag, minute: minute, latest: latest,
                                                state: newState.dags[dag.name], zone: zone)
            if var dagState = newState.dags[dag.name] {
                for id in decision.consumedOneOffs {
                    dagState.oneOffs[id]?.status = .consumed
                }
                if let slot = decision.cronSlot { dagState.lastScheduledTime = slot }
                newState.dags[dag.name] = dagState
            }
            if let candidate = decision.start {
                starts.append(PlannedStart(
                    dagName: dag.name, fileName: entry.fileName, scheduleTime: candidate.slot, runID: candidate.runID,
                    action: Self.action(for: dag, globalQueues: globalQueues), source: candidate.source))
            }
            if latest?.status == .running, Self.stopDue(dag, minute: minute, zone: zone) {
                stops.append(dag.name)
            }
        }
        return TickPlan(minute: minute, starts: starts, stops: stops, newState: newState)
    }

    /// Enqueue on a declared global queue, else start directly (§14.3, §15.2 step 4).
    static func action(for dag: DAG, globalQueues: Set<String>) -> PlannedStart.Action {
        if let queue = dag.queue, globalQueues.contains(queue) { return .enqueue(queue: queue) }
        return .start
    }

    /// Whether a stop entry fires at `minute`.
    static func stopDue(_ dag: DAG, minute: Date, zone: TimeZone) -> Bool {
        dag.schedule.stop.contains { entry in
            if case .cron(let cron) = entry { return cron.fires(atMinute: minute, in: zone) }
            return false
        }
    }
}
