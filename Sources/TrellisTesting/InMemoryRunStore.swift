import Foundation
import Synchronization
import TrellisCore

/// A run store held in memory, for engine and API unit tests. It passes the same contract suite
/// as the file store; its run folders (work dir, step logs, run log, cancel file) are real
/// directories under the base directory given at `init`, so code that writes logs works.
public final class InMemoryRunStore: RunWriter, RunReader, RunLocking, RunFiles {
    /// One appended snapshot and how durable it was asked to be.
    public struct AppendRecord: Sendable, Hashable {
        /// The snapshot as stored (attempt ID filled in).
        public var snapshot: RunSnapshot
        /// The durability the caller asked for.
        public var durability: Durability
    }

    struct Attempt: Sendable {
        var id: String
        var records: [AppendRecord]
    }

    struct Record: Sendable {
        var header: RunHeader
        var spec: String
        var directory: String
        var attempts: [Attempt]
        var outputs: [(String, String)]?
    }

    struct State: Sendable {
        var runs: [RunRef: Record] = [:]
        var locked: Set<RunRef> = []
        var attemptCounter = 0
        var flushes = 0
    }

    /// The folder under which run folders are made.
    public let baseDirectory: String
    let state = Mutex(State())

    /// - Parameter baseDirectory: a temporary folder; run folders are made under it.
    public init(baseDirectory: String) {
        self.baseDirectory = baseDirectory
    }

    // MARK: - RunWriter

    /// Stores the run; ``StoreError/Code/runExists`` for a taken ID, `notFound` for a missing parent.
    /// An empty attempt ID or log path is filled in, as the file store does.
    @discardableResult
    public func createRun(_ header: RunHeader, spec: String, initial: RunSnapshot) throws(StoreError) -> RunSnapshot {
        guard initial.run == header.run else {
            throw StoreError(.invalid, "initial snapshot of \(initial.run) does not belong to run \(header.run)")
        }
        let (directory, stored) = try state.withLock { state throws(StoreError) -> (String, RunSnapshot) in
            guard state.runs[header.run] == nil else {
                throw StoreError(.runExists, "run \(header.run) already exists")
            }
            var directory = baseDirectory + "/" + header.run.name + "/" + header.run.id
            if let parent = header.parent {
                guard let parentRecord = state.runs[parent] else { throw StoreError(.notFound, "run \(parent) not found") }
                directory = parentRecord.directory + "/children/" + header.run.id
            }
            var stored = initial
            if stored.attemptId.isEmpty { stored.attemptId = Self.nextAttemptId(&state) }
            if stored.log.isEmpty { stored.log = directory + "/run.log" }
            let attempt = Attempt(id: stored.attemptId, records: [AppendRecord(snapshot: stored, durability: .synced)])
            state.runs[header.run] = Record(header: header, spec: spec, directory: directory, attempts: [attempt])
            return (directory, stored)
        }
        makeDirectories(directory, attemptId: initial.attemptId.isEmpty ? nil : initial.attemptId, run: header.run)
        return stored
    }

    /// Adds an attempt whose first snapshot is `initial` with a new attempt ID.
    public func startAttempt(_ initial: RunSnapshot) throws(StoreError) -> RunSnapshot {
        let stored = try state.withLock { state throws(StoreError) -> RunSnapshot in
            guard var record = state.runs[initial.run] else { throw StoreError(.notFound, "run \(initial.run) not found") }
            var stored = initial
            stored.attemptId = Self.nextAttemptId(&state)
            if stored.log.isEmpty { stored.log = record.directory + "/run.log" }
            record.attempts.append(Attempt(id: stored.attemptId, records: [AppendRecord(snapshot: stored, durability: .synced)]))
            state.runs[initial.run] = record
            return stored
        }
        let paths = paths(of: initial.run, attemptId: stored.attemptId)
        try? FileManager.default.removeItem(atPath: paths.cancelRequest)
        makeDirectories(paths.runDirectory, attemptId: stored.attemptId, run: initial.run)
        return stored
    }

    /// Appends to the latest attempt; another attempt's ID is ``StoreError/Code/invalid``.
    public func append(_ snapshot: RunSnapshot, durability: Durability) throws(StoreError) {
        try state.withLock { state throws(StoreError) in
            guard var record = state.runs[snapshot.run], var attempt = record.attempts.last else {
                throw StoreError(.notFound, "run \(snapshot.run) not found")
            }
            var stored = snapshot
            if stored.attemptId.isEmpty { stored.attemptId = attempt.id }
            guard stored.attemptId == attempt.id else {
                throw StoreError(.invalid, "snapshot of attempt \(stored.attemptId) of run \(snapshot.run), but the latest attempt is \(attempt.id)")
            }
            attempt.records.append(AppendRecord(snapshot: stored, durability: durability))
            record.attempts[record.attempts.count - 1] = attempt
            state.runs[snapshot.run] = record
        }
    }

    /// Keeps the outputs in order (see ``outputs(of:)``).
    public func writeOutputs(_ outputs: [(String, String)], for run: RunRef) throws(StoreError) {
        try state.withLock { state throws(StoreError) in
            guard state.runs[run] != nil else { throw StoreError(.notFound, "run \(run) not found") }
            state.runs[run]?.outputs = outputs
        }
    }

    /// Counts the call (see ``flushCount``); memory has nothing to sync.
    public func flush() throws(StoreError) {
        state.withLock { $0.flushes += 1 }
    }

    // MARK: - RunReader

    /// The stored header; `nil` for an unknown run.
    public func header(of run: RunRef) throws(StoreError) -> RunHeader? {
        state.withLock { $0.runs[run]?.header }
    }

    /// The stored DAG text; `nil` for an unknown run.
    public func spec(of run: RunRef) throws(StoreError) -> String? {
        state.withLock { $0.runs[run]?.spec }
    }

    /// The latest attempt's last snapshot; `nil` for an unknown run.
    public func latestSnapshot(of run: RunRef) throws(StoreError) -> RunSnapshot? {
        state.withLock { $0.runs[run]?.attempts.last?.records.last?.snapshot }
    }

    // MARK: - Test inspection

    /// Every snapshot appended to the run's latest attempt, in order, with its durability.
    public func history(of run: RunRef) -> [AppendRecord] {
        state.withLock { $0.runs[run]?.attempts.last?.records ?? [] }
    }

    /// The run's attempt IDs, oldest first.
    public func attemptIds(of run: RunRef) -> [String] {
        state.withLock { $0.runs[run]?.attempts.map(\.id) ?? [] }
    }

    /// The outputs written for the run, in order.
    public func outputs(of run: RunRef) -> [(String, String)]? {
        state.withLock { $0.runs[run]?.outputs }
    }

    /// How many times ``flush()`` was called.
    public var flushCount: Int { state.withLock { $0.flushes } }

    // MARK: - Helpers

    private static func nextAttemptId(_ state: inout State) -> String {
        state.attemptCounter += 1
        let text = String(state.attemptCounter)
        return "m" + String(repeating: "0", count: max(0, 7 - text.count)) + text
    }

    private func makeDirectories(_ runDirectory: String, attemptId: String?, run: RunRef) {
        let paths = paths(of: run, attemptId: attemptId ?? "")
        for directory in [paths.workDirectory, paths.stepLogDirectory, paths.childrenDirectory] {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }
}
