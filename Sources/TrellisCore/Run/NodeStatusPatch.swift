import Foundation

/// Patching a finished run's node status (§12.4): overwrite the node, re-derive the run status
/// with §12.3 from the stored nodes, and return the snapshot to append to the latest attempt.
public enum NodeStatusPatch {
    /// Why a patch was refused.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The patched snapshot. `dag` is the DAG stored with the run (for `continue_on`).
    public static func apply(_ snapshot: RunSnapshot, dag: DAG, node name: String, status: NodeStatus,
                             now: Date) -> Result<RunSnapshot, Refusal> {
        guard !snapshot.status.isActive else {
            return .failure(Refusal(message: "run \(snapshot.run.id) is \(snapshot.status.label); only a finished run can be patched"))
        }
        guard var record = snapshot.node(named: name) else {
            return .failure(Refusal(message: "run \(snapshot.run.id) has no step \"\(name)\""))
        }
        guard ![.running, .retrying].contains(status) else {
            return .failure(Refusal(message: "a node cannot be patched to \(status.label)"))
        }
        var result = snapshot
        record.status = status
        if status == .succeeded || status == .skipped || status == .notStarted { record.error = nil }
        record.finishedAt = record.finishedAt ?? now
        result.update(record)
        let planner = FinalStatusPlanner(steps: dag.steps)
        let cancelled = snapshot.status == .aborted
        // Run-level errors survive a patch (a DAG timeout stays an error); node errors are
        // re-derived from the nodes.
        let runErrors = snapshot.error.map { error in snapshot.nodes.contains { $0.error == error } ? [] : [error] } ?? []
        var status = planner.status(nodes: result.nodes.map(\.state), cancelled: cancelled, errors: runErrors)
        status = FinalStatusPlanner.applyingHandlers(
            result.handlers.filter { $0.key != "onInit" }.map(\.value.state), to: status)
        result.status = status
        return .success(result)
    }
}
