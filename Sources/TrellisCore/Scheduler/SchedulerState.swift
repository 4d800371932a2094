import Foundation

/// The content of `data/scheduler/state.json` (§15.4): the last tick and, per DAG name, the
/// watermark, a fingerprint of the start schedule and the one-off states.
///
/// A value type: the planner returns a new state with each plan, and the scheduler service writes
/// it (temp file, fsync, rename).
public struct SchedulerState: Sendable, Hashable, Codable {
    /// The format version written by this build.
    public static let currentVersion = 1

    public var version: Int
    /// The last minute evaluated.
    public var lastTick: Date?
    /// Per DAG name.
    public var dags: [String: DAGScheduleState]

    public init(lastTick: Date? = nil, dags: [String: DAGScheduleState] = [:]) {
        self.version = Self.currentVersion
        self.lastTick = lastTick
        self.dags = dags
    }

    /// The state brought in line with the catalog at `now` (§15.3, §15.4):
    /// - a valid DAG with start entries gets a record; a new one-off entry is `consumed` if its
    ///   minute is already over (it never fires), else `pending`; known one-offs keep their status;
    ///   a one-off no longer in the YAML is dropped;
    /// - a start schedule whose fingerprint changed sets `skipResetAt = now`, so successes before
    ///   the edit no longer suppress slots; a DAG seen for the first time records its fingerprint
    ///   without a reset;
    /// - a DAG that is no longer in the catalog, or no longer has start entries, is dropped;
    /// - a DAG whose file has errors keeps its record untouched until the file is fixed (a
    ///   half-edited file must not forget which one-offs already ran).
    ///
    /// Suspension does not matter here: a suspended DAG's one-offs stay pending.
    /// "Already over" compares minutes, so a one-off in the current minute is still pending and
    /// the tick for that minute fires it.
    public func reconciled(with entries: [CatalogEntry], now: Date) -> SchedulerState {
        var result = SchedulerState(lastTick: lastTick)
        var broken: Set<String> = []
        for entry in entries {
            guard entry.isValid, let dag = entry.load.dag else {
                broken.insert(entry.dagName)
                continue
            }
            guard !dag.schedule.start.isEmpty else { continue }
            result.dags[dag.name] = Self.reconcile(dags[dag.name], start: dag.schedule.start, now: now)
        }
        for name in broken where result.dags[name] == nil {
            result.dags[name] = dags[name]
        }
        return result
    }

    /// The status a one-off at `date` has in this state for `dagName`, or would get if it were
    /// first seen at `now`.
    public func oneOffStatus(dagName: String, at date: Date, now: Date) -> OneOffState.Status {
        dags[dagName]?.oneOffs[ScheduleIdentity.oneOffID(at: date)]?.status ?? Self.firstSeenStatus(at: date, now: now)
    }

    static func firstSeenStatus(at date: Date, now: Date) -> OneOffState.Status {
        date < TickClock.minute(containing: now) ? .consumed : .pending
    }

    private static func reconcile(_ old: DAGScheduleState?, start: [ScheduleEntry], now: Date) -> DAGScheduleState {
        let fingerprint = ScheduleIdentity.fingerprint(ofStart: start)
        var state = old ?? DAGScheduleState(startFingerprint: fingerprint)
        if state.startFingerprint != fingerprint {
            state.startFingerprint = fingerprint
            state.skipResetAt = now
        }
        var oneOffs: [String: OneOffState] = [:]
        for case .at(let date, _) in start {
            let id = ScheduleIdentity.oneOffID(at: date)
            oneOffs[id] = old?.oneOffs[id] ?? OneOffState(at: date, status: firstSeenStatus(at: date, now: now))
        }
        state.oneOffs = oneOffs
        return state
    }
}
