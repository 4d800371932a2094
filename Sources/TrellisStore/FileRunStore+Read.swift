import Foundation
import TrellisCore

extension FileRunStore {
    /// The run's `run.json`; `nil` for an unknown run.
    public func header(of run: RunRef) throws(StoreError) -> RunHeader? {
        guard let directory = try layout.resolve(run) else { return nil }
        let path = directory + "/run.json"
        guard let data = try Posix.readFile(path) else { return nil }
        return try StoreJSON.decodeFile(RunHeader.self, data, path: path)
    }

    /// The run's `spec.yaml`, verbatim; `nil` for an unknown run.
    public func spec(of run: RunRef) throws(StoreError) -> String? {
        guard let directory = try layout.resolve(run), let data = try Posix.readFile(directory + "/spec.yaml") else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The last complete line of the latest attempt's `status.jsonl` that parses (a torn last
    /// line is ignored); `nil` for an unknown run.
    public func latestSnapshot(of run: RunRef) throws(StoreError) -> RunSnapshot? {
        guard let directory = try layout.resolve(run),
              let attempt = try AttemptFolder.latest(in: directory) else { return nil }
        return try LineScanner.lastRecord(RunSnapshot.self, inFileAt: attempt.statusPath)
    }

    /// The last complete snapshot of one attempt (the latest for an empty ID).
    public func snapshot(of run: RunRef, attemptId: String) throws(StoreError) -> RunSnapshot? {
        guard let directory = try layout.resolve(run),
              let attempt = try AttemptFolder.find(attemptId, in: directory) else { return nil }
        return try LineScanner.lastRecord(RunSnapshot.self, inFileAt: attempt.statusPath)
    }

    /// The run's attempt IDs, oldest first.
    public func attemptIds(of run: RunRef) throws(StoreError) -> [String] {
        guard let directory = try layout.resolve(run) else { return [] }
        return try AttemptFolder.all(in: directory).map(\.id)
    }
}
