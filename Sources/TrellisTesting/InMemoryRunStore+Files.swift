import Foundation
import Synchronization
import TrellisCore

extension InMemoryRunStore {
    // MARK: - RunFiles

    /// Real paths under the base directory: `<dag>/<run-id>/` for a root run, the parent's
    /// `children/<run-id>/` for a sub-DAG run, `<dag>/unresolved/<run-id>/` for an unknown run.
    public func paths(of run: RunRef, attemptId: String) -> RunPaths {
        let (directory, attempt) = state.withLock { state -> (String, String) in
            guard let record = state.runs[run] else {
                return (baseDirectory + "/" + run.name + "/unresolved/" + run.id, attemptId)
            }
            let known = record.attempts.contains { $0.id == attemptId }
            return (record.directory, known ? attemptId : record.attempts.last?.id ?? attemptId)
        }
        return RunPaths(
            runDirectory: directory,
            workDirectory: directory + "/work",
            runLog: directory + "/run.log",
            cancelRequest: directory + "/cancel-requested",
            stepLogDirectory: directory + "/attempts/" + attempt + "/steps",
            childrenDirectory: directory + "/children"
        )
    }

    // MARK: - RunLocking

    /// Takes the run's lock in this store; `nil` while another holder has it.
    public func tryLock(_ run: RunRef) throws(StoreError) -> (any RunLock)? {
        let taken = try state.withLock { state throws(StoreError) -> Bool in
            guard state.runs[run] != nil else { throw StoreError(.notFound, "run \(run) not found") }
            return state.locked.insert(run).inserted
        }
        return taken ? InMemoryRunLock(store: self, run: run) : nil
    }

    /// Whether someone holds the run's lock.
    public func isLocked(_ run: RunRef) -> Bool {
        state.withLock { $0.locked.contains(run) }
    }

    func unlock(_ run: RunRef) {
        _ = state.withLock { $0.locked.remove(run) }
    }

    // MARK: - Cancel requests

    /// Creates the run's `cancel-requested` file.
    public func requestCancel(_ run: RunRef) throws(StoreError) {
        let path = try existingPaths(run).cancelRequest
        guard FileManager.default.createFile(atPath: path, contents: Data()) else {
            throw StoreError(.io, "cannot create cancel request", path: path)
        }
    }

    /// Removes the run's `cancel-requested` file.
    public func clearCancel(_ run: RunRef) throws(StoreError) {
        try? FileManager.default.removeItem(atPath: try existingPaths(run).cancelRequest)
    }

    private func existingPaths(_ run: RunRef) throws(StoreError) -> RunPaths {
        guard state.withLock({ $0.runs[run] != nil }) else { throw StoreError(.notFound, "run \(run) not found") }
        let paths = paths(of: run, attemptId: "")
        try? FileManager.default.createDirectory(atPath: paths.runDirectory, withIntermediateDirectories: true)
        return paths
    }
}

/// A lock of an ``InMemoryRunStore``: released once, by ``release()`` or when dropped.
final class InMemoryRunLock: RunLock {
    private let store: InMemoryRunStore
    private let run: RunRef
    private let held = Mutex(true)

    init(store: InMemoryRunStore, run: RunRef) {
        self.store = store
        self.run = run
    }

    func release() {
        let wasHeld = held.withLock { held in
            defer { held = false }
            return held
        }
        if wasHeld { store.unlock(run) }
    }

    deinit {
        release()
    }
}
