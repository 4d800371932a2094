/// The final status of a run (§12.3, first match wins) and the handler rule of §9.
///
/// A failed node whose failure is continued with `mark_success` counts as `succeeded` here, as the
/// engine records it (§8.1), whether or not the engine has already rewritten its status.
public struct FinalStatusPlanner: Sendable {
    private let continueOn: [String: ContinueOn]

    /// A planner for these steps; their `continue_on` decides which failures were continued.
    public init(steps: [Step]) {
        continueOn = Dictionary(steps.map { ($0.name, $0.continueOn) }, uniquingKeysWith: { first, _ in first })
    }

    /// The run's status once no node runs any more.
    ///
    /// - Parameters:
    ///   - nodes: the step nodes (handlers excluded).
    ///   - cancelled: the run was stopped, its `init` handler failed, or a DAG precondition was unmet.
    ///   - errors: run-level errors recorded by the engine ("DAG timed out after 60 s").
    public func status(nodes: [NodeState], cancelled: Bool, errors: [String] = []) -> RunStatus {
        let statuses = nodes.map(effectiveStatus)
        // 1. Cancelled, and not everything ended well.
        if cancelled && !statuses.allSatisfy({ $0 == .succeeded || $0 == .skipped || $0 == .partiallySucceeded }) {
            return .aborted
        }
        // 2. Nothing ran and nothing went wrong.
        if errors.isEmpty && statuses.allSatisfy({ $0 == .notStarted }) { return .notStarted }
        // 3. Approvals.
        if statuses.contains(.rejected) { return .rejected }
        if statuses.contains(.waiting) { return .waiting }
        // 4. Partial success.
        if isPartialSuccess(nodes: nodes, statuses: statuses) { return .partiallySucceeded }
        // 5. Any recorded error: a failed node (continued or not), an aborted node, a run error.
        if !errors.isEmpty || statuses.contains(.failed) || statuses.contains(.aborted) { return .failed }
        // 6. Everything else, including every node skipped.
        return .succeeded
    }

    /// Rule 4: every failed node was allowed to continue; at least one failure was continued
    /// without `mark_success`, or a node itself partially succeeded; and at least one node
    /// succeeded (a partially succeeded node counts, as in Dagu).
    private func isPartialSuccess(nodes: [NodeState], statuses: [NodeStatus]) -> Bool {
        let failed = zip(nodes, statuses).filter { $0.1 == .failed }.map(\.0)
        guard failed.allSatisfy({ continueOn($0).continuesFailure(of: $0) }) else { return false }
        // A continued failure still counted as failed has no mark_success (else it would count
        // as succeeded), so any remaining failed node is a continued failure without it.
        let continuedFailure = !failed.isEmpty || statuses.contains(.partiallySucceeded)
        let anySucceeded = statuses.contains(.succeeded) || statuses.contains(.partiallySucceeded)
        return continuedFailure && anySucceeded
    }

    /// The node's status, with a continued `mark_success` failure counted as `succeeded`.
    private func effectiveStatus(_ node: NodeState) -> NodeStatus {
        continueOn(node).marksSuccess(of: node) ? .succeeded : node.status
    }

    private func continueOn(_ node: NodeState) -> ContinueOn {
        continueOn[node.name, default: ContinueOn()]
    }

    /// The status after the handlers ran (§9): a failing handler (`failed` or `aborted`) records
    /// an error, so it turns a succeeded or partially succeeded run into `failed`; any other
    /// status is kept. Skipped and not-started handlers are not failures.
    public static func applyingHandlers(_ handlers: [NodeState], to status: RunStatus) -> RunStatus {
        guard status.isSuccessful else { return status }
        let failing = handlers.contains { $0.status == .failed || $0.status == .aborted }
        return failing ? .failed : status
    }
}
