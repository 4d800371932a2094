/// What the run engine knows about one node, reduced to what the planners decide on.
///
/// The planners are pure, so a node never carries its stdout. `continue_on.output` (§8.1) is
/// instead decided once, by the engine, when the node finishes: it streams the node's stdout lines
/// through ``ContinueOn/matchesOutput(lines:)`` and records the answer in ``outputMatched``. That
/// keeps node states small (stdout may be up to `max_output_size`), makes every planner decision a
/// function of stored values (a run re-derived after a status patch, §12.4, decides the same way),
/// and mirrors Dagu, which caches the same answer per node.
public struct NodeState: Sendable, Hashable {
    /// The step (or handler node) name.
    public var name: String
    public var status: NodeStatus
    /// The exit code of the last execution, when a process ran (124 after a step timeout).
    public var exitCode: Int?
    /// Whether a line of the last execution's stdout contained one of the step's
    /// `continue_on.output` strings or matched one of its `re:` patterns.
    public var outputMatched: Bool
    /// The node's error message, when it has one ("upstream step failed").
    public var error: String?
    /// Retries made in this attempt (§8.2).
    public var retryCount: Int
    /// Executions finished in this attempt (§8.3).
    public var doneCount: Int

    /// A node state; by default a node that has not started.
    public init(
        name: String,
        status: NodeStatus = .notStarted,
        exitCode: Int? = nil,
        outputMatched: Bool = false,
        error: String? = nil,
        retryCount: Int = 0,
        doneCount: Int = 0
    ) {
        self.name = name
        self.status = status
        self.exitCode = exitCode
        self.outputMatched = outputMatched
        self.error = error
        self.retryCount = retryCount
        self.doneCount = doneCount
    }
}

/// Node states looked up by name; a node without a state is a fresh `not_started` node.
public struct NodeStates: Sendable, Hashable {
    private var byName: [String: NodeState]

    /// The states, keyed by name (the first state wins for a repeated name).
    public init(_ states: [NodeState]) {
        byName = Dictionary(states.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The state of the node with this name.
    public subscript(name: String) -> NodeState {
        byName[name] ?? NodeState(name: name)
    }

    /// Records a change's status and error.
    public mutating func apply(_ change: NodeChange) {
        var state = self[change.name]
        state.status = change.status
        state.error = change.error
        byName[change.name] = state
    }
}
