import Foundation

/// The start-schedule decision for one DAG at one minute (§15.2 steps 2–4, §15.3): the
/// candidates, their guards, and the one that starts. Used by ``TickPlanner``.
struct StartDecision: Sendable, Hashable {
    /// A due start entry.
    struct Candidate: Sendable, Hashable {
        var slot: Date
        var source: PlannedStart.Source
        /// Deterministic for one-offs.
        var runID: String?
        /// The cron entry, for a cron candidate.
        var cron: CronExpression?
        var isOneOff: Bool { if case .oneOff = source { true } else { false } }
    }

    /// The start, if any.
    var start: Candidate?
    /// One-off ids that become `consumed`: the one that starts, and pending ones whose slot a run
    /// already covers.
    var consumedOneOffs: [String] = []
    /// The slot of a cron start (the new `lastScheduledTime`).
    var cronSlot: Date?

    static func decide(for dag: DAG, minute: Date, latest: LatestRunInfo?, state: DAGScheduleState?,
                       zone: TimeZone) -> StartDecision {
        var decision = StartDecision()
        let candidates = dueCandidates(dag, minute: minute, state: state, zone: zone)
        guard !candidates.isEmpty, latest?.active != true else { return decision }
        var passing: [Candidate] = []
        for candidate in candidates {
            if let covered = latest?.scheduleTime, covered >= candidate.slot {
                if case .oneOff(let id) = candidate.source { decision.consumedOneOffs.append(id) }
                continue
            }
            // The watermark: a cron slot at or before the last one planned already fired, even
            // when a manual run since hides its run's `scheduleTime` (a clock stepped back).
            if candidate.cron != nil, let last = state?.lastScheduledTime, last >= candidate.slot {
                continue
            }
            if let cron = candidate.cron,
               skipsIfSuccessful(dag, cron: cron, slot: candidate.slot, latest: latest, state: state, zone: zone) {
                continue
            }
            passing.append(candidate)
        }
        // Earliest slot first; at the same slot a one-off before a cron; else entry order.
        guard let chosen = passing.min(by: { ($0.slot, $0.isOneOff ? 0 : 1) < ($1.slot, $1.isOneOff ? 0 : 1) }) else {
            return decision
        }
        decision.start = chosen
        switch chosen.source {
        case .oneOff(let id): decision.consumedOneOffs.append(id)
        case .cron: decision.cronSlot = chosen.slot
        }
        return decision
    }

    /// Pending one-offs with `at ≤ minute`, and cron entries firing at `minute`, in entry order.
    static func dueCandidates(_ dag: DAG, minute: Date, state: DAGScheduleState?, zone: TimeZone) -> [Candidate] {
        var candidates: [Candidate] = []
        var seen: Set<String> = []
        for entry in dag.schedule.start {
            let id = ScheduleIdentity.id(of: entry)
            guard seen.insert(id).inserted else { continue }
            switch entry {
            case .at(let date, _):
                guard date <= minute, state?.oneOffs[id]?.status == .pending else { continue }
                candidates.append(Candidate(slot: date, source: .oneOff(id),
                                            runID: ScheduleIdentity.oneOffRunID(dagName: dag.name, at: date), cron: nil))
            case .cron(let cron):
                guard cron.fires(atMinute: minute, in: zone) else { continue }
                candidates.append(Candidate(slot: minute, source: .cron(cron.source), runID: nil, cron: cron))
            }
        }
        return candidates
    }

    /// `skip_if_successful` (§15.3): the latest run succeeded and its slot (else its start time)
    /// lies in `[previous fire time of this entry, slot)` — unless that success predates the last
    /// edit of the start schedule.
    static func skipsIfSuccessful(_ dag: DAG, cron: CronExpression, slot: Date, latest: LatestRunInfo?,
                                  state: DAGScheduleState?, zone: TimeZone) -> Bool {
        guard dag.skipIfSuccessful, let latest, latest.status == .succeeded,
              let reference = latest.scheduleTime ?? latest.startedAt else { return false }
        if let resetAt = state?.skipResetAt,
           let succeededAt = latest.finishedAt ?? latest.startedAt ?? latest.scheduleTime, succeededAt < resetAt {
            return false
        }
        guard let previous = cron.previousFire(before: slot, in: zone) else { return false }
        return previous <= reference && reference < slot
    }
}
