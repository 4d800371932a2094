import Foundation

/// Repairs a dead run on read (§16.2); implemented by the file store's repairer.
public protocol RunRepairing: Sendable {
    /// The repaired snapshot when the run was dead, else nil.
    func repairIfDead(_ run: RunRef) throws(StoreError) -> RunSnapshot?
}

/// What a start asks for (API §4.8, CLI `start`).
public struct StartRequest: Sendable, Hashable {
    /// Path of the DAG file to run.
    public var dagFile: String
    public var runID: String
    /// Params as the client sent them (a string or JSON text); nil = defaults.
    public var params: String?
    public var labels: [String]
    /// `manual` for API and CLI starts, `scheduler` for the scheduler's (§15.2).
    public var triggerType: TriggerType
    /// The slot a scheduler start is for (§15.2); nil otherwise.
    public var scheduleTime: Date?

    public init(dagFile: String, runID: String, params: String? = nil, labels: [String] = [],
                triggerType: TriggerType = .manual, scheduleTime: Date? = nil) {
        self.dagFile = dagFile
        self.runID = runID
        self.params = params
        self.labels = labels
        self.triggerType = triggerType
        self.scheduleTime = scheduleTime
    }
}

/// Starts and stops runs from outside their agent: the server and the scheduler use it.
public protocol RunControl: Sendable {
    /// Launches a detached run agent (`setsid`) for `request` and returns once the run has left
    /// `not_started` (within 10 s, else the run is failed "run agent did not start").
    func start(_ request: StartRequest, dagName: String) async throws -> RunSnapshot
    /// Delivers a stop (§10.2): the cancel-request file and SIGTERM to the agent.
    func requestStop(_ run: RunRef, agentPID: Int32?) throws
    /// Retries a finished run in a detached agent (§13.1); returns once the new attempt runs.
    func retry(_ run: RunRef, step: String?) async throws -> RunSnapshot
    /// Patches a finished run's node status and re-derives the run status (§12.4).
    func patchNodeStatus(_ run: RunRef, node: String, status: NodeStatus) throws -> RunSnapshot
}
