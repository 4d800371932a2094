import Foundation
import Testing
@testable import TrellisCore

/// Shared helpers of the scheduler suites: fixed instants, zones, catalog entries built from YAML
/// through the real loader, and a planner call with defaults. Namespaced so nothing clashes with
/// other suites of the target.
enum SchedulerFixture {
    /// An instant written with an explicit offset: `2026-03-08T07:00:00Z`,
    /// `2026-03-08T02:30:00-05:00`. Crashes the test (not the process) on a typo.
    static func at(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard let date = formatter.date(from: text) else {
            Issue.record("bad test instant \(text)", sourceLocation: sourceLocation)
            return Date(timeIntervalSince1970: 0)
        }
        return date
    }

    /// A zone by identifier.
    static func zone(_ identifier: String, sourceLocation: SourceLocation = #_sourceLocation) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            Issue.record("unknown zone \(identifier)", sourceLocation: sourceLocation)
            return TimeZone(secondsFromGMT: 0)!
        }
        return zone
    }

    static let utc = TimeZone(secondsFromGMT: 0)!

    /// A catalog entry for `<fileName>.yaml` whose DAG has the given `schedule:` YAML (already
    /// indented as a value, e.g. `"0 * * * *"` quoted, or a nested block) and extra top-level lines.
    static func entry(_ fileName: String, schedule: String?, extra: [String] = [], suspended: Bool = false,
                      sourceLocation: SourceLocation = #_sourceLocation) -> CatalogEntry {
        var lines: [String] = []
        if let schedule { lines.append("schedule: " + schedule) }
        lines += extra
        lines += ["steps:", "  - command: \"true\""]
        let text = lines.joined(separator: "\n") + "\n"
        let load = DAGLoader.load(text: text, fileName: fileName + ".yaml")
        return CatalogEntry(fileName: fileName, path: "/dags/\(fileName).yaml", text: text, load: load,
                            modifiedAt: Date(timeIntervalSince1970: 0), suspended: suspended)
    }

    /// A valid entry (the test fails otherwise).
    static func validEntry(_ fileName: String, schedule: String?, extra: [String] = [], suspended: Bool = false,
                           sourceLocation: SourceLocation = #_sourceLocation) -> CatalogEntry {
        let result = entry(fileName, schedule: schedule, extra: extra, suspended: suspended)
        #expect(result.isValid, "fixture \(fileName) has errors: \(result.errors)", sourceLocation: sourceLocation)
        return result
    }

    /// An entry with one-off `at` entries (and optional cron entries) under `start`.
    static func oneOffEntry(_ fileName: String, at times: [String], crons: [String] = [], extra: [String] = [],
                            sourceLocation: SourceLocation = #_sourceLocation) -> CatalogEntry {
        let items = times.map { "{at: \"\($0)\"}" } + crons.map { "\"\($0)\"" }
        return validEntry(fileName, schedule: "{start: [\(items.joined(separator: ", "))]}", extra: extra,
                          sourceLocation: sourceLocation)
    }

    /// An entry whose file has an error (an unknown key).
    static func brokenEntry(_ fileName: String, schedule: String) -> CatalogEntry {
        entry(fileName, schedule: schedule, extra: ["comand: nope"])
    }

    /// Plans one tick with defaults: no previous tick, empty state, no runs, no global queues, UTC.
    static func plan(_ minute: Date, entries: [CatalogEntry], state: SchedulerState = SchedulerState(),
                     previousTick: Date? = nil, latestRuns: [String: LatestRunInfo] = [:],
                     globalQueues: Set<String> = [], zone: TimeZone = utc) -> TickPlan {
        TickPlanner().plan(tick: minute, previousTick: previousTick, entries: entries, state: state,
                           latestRuns: latestRuns, globalQueues: globalQueues, zone: zone)
    }

    /// A finished run of the latest slot.
    static func finished(_ status: RunStatus, slot: Date?, startedAt: Date? = nil, finishedAt: Date? = nil) -> LatestRunInfo {
        LatestRunInfo(status: status, scheduleTime: slot, startedAt: startedAt ?? slot, finishedAt: finishedAt, active: false)
    }

    /// Every minute in `[from, to)`.
    static func minutes(from: Date, to: Date) -> [Date] {
        stride(from: from.timeIntervalSince1970, to: to.timeIntervalSince1970, by: 60).map { Date(timeIntervalSince1970: $0) }
    }

    /// `2026-03-08T07:00:00Z` for failure messages.
    static func text(_ date: Date?) -> String {
        guard let date else { return "nil" }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = utc
        return formatter.string(from: date)
    }
}

/// A scheduler loop in miniature: ticks the planner minute by minute, "dispatches" its starts
/// into an in-memory run history (each run finishes within its minute unless told otherwise),
/// and carries the state forward. For multi-tick scenarios (DST days, lifecycles, replays).
struct SchedulerSimulation {
    var entries: [CatalogEntry]
    var state = SchedulerState()
    var previousTick: Date?
    var latestRuns: [String: LatestRunInfo] = [:]
    var zone: TimeZone = SchedulerFixture.utc
    var globalQueues: Set<String> = []
    /// Every start, in order.
    var started: [PlannedStart] = []
    /// Every stop, as (minute, DAG name).
    var stopped: [(Date, String)] = []
    /// Status of the runs the simulation records.
    var outcome: RunStatus = .succeeded

    init(entries: [CatalogEntry], zone: TimeZone = SchedulerFixture.utc) {
        self.entries = entries
        self.zone = zone
    }

    /// Runs one tick at `minute` and records its effects; returns the plan.
    @discardableResult
    mutating func tick(_ minute: Date) -> TickPlan {
        let plan = TickPlanner().plan(tick: minute, previousTick: previousTick, entries: entries, state: state,
                                      latestRuns: latestRuns, globalQueues: globalQueues, zone: zone)
        for start in plan.starts {
            started.append(start)
            latestRuns[start.dagName] = LatestRunInfo(status: outcome, scheduleTime: start.scheduleTime,
                                                      startedAt: plan.minute.addingTimeInterval(1),
                                                      finishedAt: plan.minute.addingTimeInterval(30), active: false)
        }
        for name in plan.stops { stopped.append((plan.minute, name)) }
        state = plan.newState
        previousTick = plan.newState.lastTick
        return plan
    }

    /// Ticks every minute in `[from, to)`.
    mutating func run(from: Date, to: Date) {
        for minute in SchedulerFixture.minutes(from: from, to: to) { tick(minute) }
    }

    /// Slots started for a DAG, as UTC text.
    func slots(_ dagName: String) -> [String] {
        started.filter { $0.dagName == dagName }.map { SchedulerFixture.text($0.scheduleTime) }
    }
}
