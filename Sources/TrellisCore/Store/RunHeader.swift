import Foundation

/// The immutable header of a run (`run.json`): written once when the run is created.
public struct RunHeader: Sendable, Hashable, Codable {
    /// DAG name and run ID.
    public var run: RunRef
    public var createdAt: Date
    public var triggerType: TriggerType
    /// The queue the run belongs to (its own DAG name unless a global queue).
    public var queue: String
    /// Resolved params, space-joined `NAME=value` (§4.4).
    public var params: String
    /// Resolved params in order, `NAME=value` (positional: the value).
    public var paramsList: [String]
    /// The override's JSON text, when the params were given as JSON.
    public var rawParamsJSON: String?
    /// The root run (itself for a root run).
    public var root: RunRef
    /// The parent run, for a sub-DAG run.
    public var parent: RunRef?
    /// The scheduled slot, for scheduler-triggered runs.
    public var scheduleTime: Date?
    public var labels: [String]
    /// The DAG file's stem when started from a file; `nil` for an inline spec.
    public var sourceFileName: String?

    public init(run: RunRef, createdAt: Date, triggerType: TriggerType, queue: String, params: String = "",
                paramsList: [String] = [], rawParamsJSON: String? = nil, root: RunRef? = nil, parent: RunRef? = nil,
                scheduleTime: Date? = nil, labels: [String] = [], sourceFileName: String? = nil) {
        self.run = run
        self.createdAt = createdAt
        self.triggerType = triggerType
        self.queue = queue
        self.params = params
        self.paramsList = paramsList
        self.rawParamsJSON = rawParamsJSON
        self.root = root ?? run
        self.parent = parent
        self.scheduleTime = scheduleTime
        self.labels = labels
        self.sourceFileName = sourceFileName
    }

    /// True for a root run (no parent).
    public var isRoot: Bool { parent == nil }
}
