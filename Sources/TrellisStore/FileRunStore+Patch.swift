import Foundation
import TrellisCore

extension FileRunStore {
    /// §12.4: overwrites a finished run's node status, re-derives the run status from the
    /// stored nodes and appends the new snapshot (synced) to the latest attempt. Takes the run
    /// lock for the write, so it never races a live agent.
    public func patchNodeStatus(_ run: RunRef, node: String, status: NodeStatus) throws(StoreError) -> RunSnapshot {
        guard let lock = try tryLock(run) else {
            throw StoreError(.invalid, "run \(run) is running; only a finished run can be patched")
        }
        defer { lock.release() }
        guard let snapshot = try latestSnapshot(of: run), let spec = try spec(of: run) else {
            throw StoreError(.notFound, "no run \(run)")
        }
        let fileName = (try header(of: run)?.sourceFileName ?? run.name) + ".yaml"
        guard let dag = DAGLoader.load(text: spec, fileName: fileName).dag else {
            throw StoreError(.corrupt, "the DAG text stored with run \(run) cannot be read")
        }
        switch NodeStatusPatch.apply(snapshot, dag: dag, node: node, status: status, now: now()) {
        case .success(let patched):
            try append(patched, durability: .synced)
            return patched
        case .failure(let refusal):
            throw StoreError(.invalid, refusal.message)
        }
    }
}
