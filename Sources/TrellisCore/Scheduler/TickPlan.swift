import Foundation

/// What one scheduler tick decided (§15.2): the runs to start, the DAGs whose runs to stop, and
/// the state to persist afterwards.
public struct TickPlan: Sendable, Hashable {
    /// The minute evaluated.
    public var minute: Date
    /// Runs to dispatch, at most one per DAG, in catalog (file name) order.
    public var starts: [PlannedStart]
    /// DAG names whose running runs a due stop schedule stops, evaluated after the starts.
    public var stops: [String]
    /// The state to write to `data/scheduler/state.json` once the plan is carried out.
    public var newState: SchedulerState

    public init(minute: Date, starts: [PlannedStart] = [], stops: [String] = [], newState: SchedulerState) {
        self.minute = minute
        self.starts = starts
        self.stops = stops
        self.newState = newState
    }
}

/// One scheduled run to dispatch with trigger `scheduler`.
public struct PlannedStart: Sendable, Hashable {
    /// How the run is dispatched.
    public enum Action: Sendable, Hashable {
        /// Start a run agent directly (the DAG runs on its own queue).
        case start
        /// Enqueue on this declared global queue, so its concurrency holds (§14.3).
        case enqueue(queue: String)
    }

    /// What made the start due.
    public enum Source: Sendable, Hashable {
        /// A cron entry, as written.
        case cron(String)
        /// A one-off entry, by its ``ScheduleIdentity`` id.
        case oneOff(String)
    }

    public var dagName: String
    public var fileName: String
    /// The slot: `scheduleTime` of the run.
    public var scheduleTime: Date
    /// The run ID: deterministic for one-offs; nil = generate one (UUID v7).
    public var runID: String?
    public var action: Action
    public var source: Source

    public init(dagName: String, fileName: String, scheduleTime: Date, runID: String?, action: Action, source: Source) {
        self.dagName = dagName
        self.fileName = fileName
        self.scheduleTime = scheduleTime
        self.runID = runID
        self.action = action
        self.source = source
    }
}
