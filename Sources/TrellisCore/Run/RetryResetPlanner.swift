/// Which node states a manual retry starts from (§13.1). Pure: the engine passes the latest
/// attempt's node states and runs the new attempt from the returned ones.
public struct RetryResetPlanner: Sendable {
    /// Statuses that a default retry resets, together with everything downstream.
    public static let resetStatuses: Set<NodeStatus> = [.failed, .aborted, .rejected, .retrying]

    /// Step names in file order.
    public let order: [String]
    private let dependents: [String: [String]]

    /// A planner for these steps (file order, `depends` resolved to names).
    public init(steps: [Step]) {
        let graph = StepGraph(steps: steps)
        order = graph.order
        dependents = graph.dependents
    }

    /// Default retry: every node that is failed, aborted, rejected or retrying, and every node
    /// downstream of one, becomes a fresh `not_started` node; the others keep their state. With
    /// no previous node state (`nil` or empty) every node is fresh, so the whole DAG runs.
    public func reset(previous: [NodeState]?) -> RetryReset {
        guard let previous, !previous.isEmpty else {
            return RetryReset(states: order.map { NodeState(name: $0) }, reset: order)
        }
        let states = NodeStates(previous)
        var marked = Set<String>()
        var pending = order.filter { Self.resetStatuses.contains(states[$0].status) }
        while let name = pending.popLast() {
            guard marked.insert(name).inserted else { continue }
            pending.append(contentsOf: dependents[name] ?? [])
        }
        return RetryReset(
            states: order.map { marked.contains($0) ? NodeState(name: $0) : states[$0] },
            reset: order.filter { marked.contains($0) }
        )
    }

    /// `--step X`: only that node becomes a fresh `not_started` node, with a fresh retry budget;
    /// every other node keeps its state, downstream nodes included.
    public func reset(previous: [NodeState]?, step: String) throws(RetryResetError) -> RetryReset {
        guard order.contains(step) else { throw .unknownStep(step) }
        let states = NodeStates(previous ?? [])
        return RetryReset(
            states: order.map { $0 == step ? NodeState(name: $0) : states[$0] },
            reset: [step]
        )
    }
}

/// The node states a retry attempt starts from.
public struct RetryReset: Sendable, Hashable {
    /// One state per step, in file order.
    public var states: [NodeState]
    /// The nodes that were reset, in file order.
    public var reset: [String]

    public init(states: [NodeState], reset: [String]) {
        self.states = states
        self.reset = reset
    }
}

/// Why a retry cannot be planned.
public enum RetryResetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--step` names no step of the DAG.
    case unknownStep(String)

    public var description: String {
        switch self {
        case .unknownStep(let name): "retry: step \"\(name)\" is not a step of this DAG"
        }
    }
}
