import Foundation

/// One complete snapshot of a run attempt: a line of `status.jsonl` (§17.1).
///
/// Every state change appends a whole snapshot, never a delta, so the last complete line is
/// the attempt's state.
public struct RunSnapshot: Sendable, Hashable, Codable {
    public var run: RunRef
    /// The attempt this snapshot belongs to.
    public var attemptId: String
    public var status: RunStatus
    public var triggerType: TriggerType
    public var createdAt: Date
    public var queuedAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var scheduleTime: Date?
    public var params: String
    public var paramsList: [String]
    public var root: RunRef
    public var parent: RunRef?
    public var queue: String
    /// Run-level error ("DAG timed out after 10 s", "run agent exited unexpectedly …").
    public var error: String?
    /// The run agent's process id and session id while it runs.
    public var pid: Int32?
    public var sid: Int32?
    /// Absolute path of the run log.
    public var log: String
    /// Steps in file order.
    public var nodes: [NodeRecord]
    /// Handler nodes, keyed `onInit` … `onExit`.
    public var handlers: [String: NodeRecord]
    /// DAG preconditions as evaluated (`matched`/`error` once checked).
    public var preconditions: [ConditionRecord]
    public var labels: [String]

    public init(header: RunHeader, attemptId: String, status: RunStatus, log: String, nodes: [NodeRecord],
                handlers: [String: NodeRecord] = [:], preconditions: [ConditionRecord] = []) {
        run = header.run
        self.attemptId = attemptId
        self.status = status
        triggerType = header.triggerType
        createdAt = header.createdAt
        scheduleTime = header.scheduleTime
        params = header.params
        paramsList = header.paramsList
        root = header.root
        parent = header.parent
        queue = header.queue
        self.log = log
        self.nodes = nodes
        self.handlers = handlers
        self.preconditions = preconditions
        labels = header.labels
    }

    /// The node (step or handler) with this name.
    public func node(named name: String) -> NodeRecord? {
        nodes.first { $0.name == name } ?? handlers[name]
    }

    /// Replaces the node with this name (step or handler).
    public mutating func update(_ record: NodeRecord) {
        if let index = nodes.firstIndex(where: { $0.name == record.name }) {
            nodes[index] = record
        } else {
            handlers[record.name] = record
        }
    }
}

/// A precondition in run details (API §9.4 `Condition`).
public struct ConditionRecord: Sendable, Hashable, Codable {
    public var condition: String
    public var expected: String?
    public var negate: Bool?
    public var error: String?
    public var matched: Bool?

    public init(_ condition: Condition) {
        self.condition = condition.condition
        expected = condition.expected
        negate = condition.negate ? true : nil
    }
}
