import Foundation
import TrellisCore

/// `data/scheduler/state.json` (§15.4): read with ``SchedulerState/decodedOrFresh(_:)`` and
/// written atomically (temp file, fsync, rename, fsync of the folder).
public struct SchedulerStateFile: Sendable {
    /// The state file.
    public let path: String

    /// - Parameter dataDirectory: the `data/` folder; `scheduler/` is created under it on write.
    public init(dataDirectory: String) {
        path = (dataDirectory as NSString).appendingPathComponent("scheduler/state.json")
    }

    /// What reading the file found.
    public enum Reading: Sendable, Hashable {
        /// No file yet.
        case missing
        /// A valid state.
        case valid(SchedulerState)
        /// A file that is not a valid state; the scheduler starts from a fresh one.
        case corrupt(String)
    }

    /// Reads the file without deciding what to do with a corrupt one.
    public func read() throws(StoreError) -> Reading {
        guard let data = try Posix.readFile(path) else { return .missing }
        do {
            return .valid(try SchedulerState.decode(data))
        } catch {
            return .corrupt("\(error)")
        }
    }

    /// The stored state; a fresh one when the file is missing or corrupt (§15.4).
    public func load() throws(StoreError) -> SchedulerState {
        SchedulerState.decodedOrFresh(try Posix.readFile(path))
    }

    /// Replaces the file with `state` (temp file, fsync, rename), so a crash leaves either the
    /// old or the new state, never a torn one.
    public func save(_ state: SchedulerState) throws(StoreError) {
        let data: Data
        do {
            data = try state.jsonData()
        } catch {
            throw StoreError(.io, "cannot encode the scheduler state: \(error)", path: path)
        }
        try Posix.makeDirectories((path as NSString).deletingLastPathComponent)
        try Posix.replaceFile(path, with: data)
    }
}
