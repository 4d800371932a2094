import Foundation

/// The stored state of one node in a snapshot (API §9.7 names, plus internal fields).
public struct NodeRecord: Sendable, Hashable, Codable {
    /// The step or handler node name (`onExit`).
    public var name: String
    public var status: NodeStatus
    public var startedAt: Date?
    public var finishedAt: Date?
    public var retryCount = 0
    public var doneCount = 0
    public var exitCode: Int?
    public var error: String?
    public var retriedAt: Date?
    /// Absolute path of the step's stdout log (`nil` before it runs).
    public var stdout: String?
    /// Absolute path of the step's stderr log.
    public var stderr: String?
    /// Process-group id of the running process (internal; for stop and dead-run repair).
    public var pgid: Int32?
    /// Whether stdout matched `continue_on.output` (see ``NodeState``).
    public var outputMatched = false
    /// The output variable name and its captured value.
    public var outputName: String?
    public var outputValue: String?
    /// Sub-DAG runs started by this node.
    public var subRuns: [SubRunRecord] = []

    public init(name: String, status: NodeStatus = .notStarted) {
        self.name = name
        self.status = status
    }

    /// The planners' view of this node.
    public var state: NodeState {
        NodeState(name: name, status: status, exitCode: exitCode, outputMatched: outputMatched, error: error,
                  retryCount: retryCount, doneCount: doneCount)
    }

    /// Copies a planner state's fields back.
    public mutating func apply(_ state: NodeState) {
        status = state.status
        exitCode = state.exitCode
        outputMatched = state.outputMatched
        error = state.error
        retryCount = state.retryCount
        doneCount = state.doneCount
    }
}

/// A sub-DAG run started by a node (API §9.7 `SubDAGRun`).
public struct SubRunRecord: Sendable, Hashable, Codable {
    public var dagRunId: String
    public var dagName: String
    public var params: String?
    public var status: RunStatus

    public init(dagRunId: String, dagName: String, params: String?, status: RunStatus) {
        self.dagRunId = dagRunId
        self.dagName = dagName
        self.params = params
        self.status = status
    }
}
