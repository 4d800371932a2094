/// Dependency readiness (§12.2): which not-started nodes may start, must wait, or are skipped or
/// aborted because of their dependencies. Pure: the engine passes node states in and applies the
/// returned plan.
public struct ReadinessPlanner: Sendable {
    /// The error of a node aborted because a dependency failed and was not continued.
    public static let upstreamFailed = "upstream step failed"
    /// The error of a node aborted because a dependency was aborted.
    public static let upstreamAborted = "upstream step aborted"
    /// The error of a node aborted because a dependency was rejected.
    public static let upstreamRejected = "upstream step rejected"

    /// Step names in file order.
    public let order: [String]
    private let dependencies: [String: [String]]
    private let continueOn: [String: ContinueOn]

    /// A planner for these steps (file order, `depends` resolved to names).
    public init(steps: [Step]) {
        order = steps.map(\.name)
        dependencies = Dictionary(steps.map { ($0.name, $0.depends) }, uniquingKeysWith: { first, _ in first })
        continueOn = Dictionary(steps.map { ($0.name, $0.continueOn) }, uniquingKeysWith: { first, _ in first })
    }

    /// The decision for one node, or `nil` when it is not `not_started` (or not a step).
    ///
    /// Dependencies are read in `depends` order. Any dependency that aborts the node decides, the
    /// first one giving the reason; otherwise any that skips it; otherwise the node waits while a
    /// dependency is unfinished, and is ready when all are satisfied. A verdict is reached as soon
    /// as it is certain, without waiting for the other dependencies to finish.
    public func decision(for name: String, in states: NodeStates) -> ReadinessDecision? {
        guard let depends = dependencies[name], states[name].status == .notStarted else { return nil }
        var skip = false
        var wait = false
        for dependency in depends {
            let state = states[dependency]
            let allows = continueOn[dependency, default: ContinueOn()].allowsDependents(after: state)
            switch state.status {
            case .succeeded, .partiallySucceeded:
                continue
            case .failed:
                if !allows { return .abort(reason: Self.upstreamFailed) }
            case .skipped:
                if !allows { skip = true }
            case .aborted:
                return .abort(reason: Self.upstreamAborted)
            case .rejected:
                return .abort(reason: Self.upstreamRejected)
            case .notStarted, .running, .retrying, .waiting:
                wait = true
            }
        }
        if skip { return .skip }
        return wait ? .wait : .ready
    }

    /// The decision for every not-started node, by name.
    public func decisions(in states: NodeStates) -> [String: ReadinessDecision] {
        var result: [String: ReadinessDecision] = [:]
        for name in order {
            if let decision = decision(for: name, in: states) { result[name] = decision }
        }
        return result
    }

    /// What to do now: skips and aborts applied until nothing changes (so they propagate through
    /// chains and diamonds), then the ready nodes in file order, at most `maxActiveSteps` in flight
    /// counting the nodes already running or retrying (0 = no limit). After a cancellation (stop,
    /// DAG timeout) nothing changes and nothing starts: never-started nodes stay `not_started`.
    public func plan(states: [NodeState], maxActiveSteps: Int = 0, cancelled: Bool = false) -> ReadinessPlan {
        guard !cancelled else { return ReadinessPlan(changes: [], ready: [], toStart: []) }
        var current = NodeStates(states)
        var changes: [NodeChange] = []
        var changed = true
        while changed {
            changed = false
            for name in order {
                let change: NodeChange
                switch decision(for: name, in: current) {
                case .skip?: change = NodeChange(name: name, status: .skipped, error: nil)
                case .abort(let reason)?: change = NodeChange(name: name, status: .aborted, error: reason)
                case .ready?, .wait?, nil: continue
                }
                changes.append(change)
                current.apply(change)
                changed = true
            }
        }
        let ready = order.filter { decision(for: $0, in: current) == .ready }
        let inFlight = order.count { current[$0].status.isInFlight }
        return ReadinessPlan(
            changes: changes,
            ready: ready,
            toStart: Self.nextToStart(ready: ready, inFlight: inFlight, maxActiveSteps: maxActiveSteps)
        )
    }

    /// The ready nodes that may start now, keeping their order: all of them when `maxActiveSteps`
    /// is 0, else as many as the free slots (`maxActiveSteps - inFlight`, never negative).
    public static func nextToStart(ready: [String], inFlight: Int, maxActiveSteps: Int) -> [String] {
        guard maxActiveSteps > 0 else { return ready }
        return Array(ready.prefix(max(0, maxActiveSteps - inFlight)))
    }
}

/// What readiness decides for a not-started node (§12.2).
public enum ReadinessDecision: Sendable, Hashable {
    /// Every dependency is satisfied: the node may start.
    case ready
    /// A dependency has not finished.
    case wait
    /// A dependency was skipped without `continue_on.skipped`: the node becomes `skipped`.
    case skip
    /// A dependency failed without being continued, or was aborted or rejected: the node becomes
    /// `aborted` with this error.
    case abort(reason: String)
}

/// A status the engine should record for a node that never started.
public struct NodeChange: Sendable, Hashable {
    public var name: String
    /// `skipped` or `aborted`.
    public var status: NodeStatus
    public var error: String?

    public init(name: String, status: NodeStatus, error: String? = nil) {
        self.name = name
        self.status = status
        self.error = error
    }
}

/// The outcome of ``ReadinessPlanner/plan(states:maxActiveSteps:cancelled:)``.
public struct ReadinessPlan: Sendable, Hashable {
    /// Skips and aborts, in the order they were derived (a dependency before its dependents).
    public var changes: [NodeChange]
    /// Every node ready after the changes, in file order.
    public var ready: [String]
    /// The ready nodes to start now under `max_active_steps`, in file order.
    public var toStart: [String]

    public init(changes: [NodeChange], ready: [String], toStart: [String]) {
        self.changes = changes
        self.ready = ready
        self.toStart = toStart
    }
}
