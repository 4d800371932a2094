import Synchronization

/// Where bare program names were found in PATH, keyed by name, PATH and working directory
/// (see ``SpawnRequest/resolvedProgram(cache:)``). Shared by the spawner threads.
final class ProgramPathCache: Sendable {
    /// More distinct keys than this (a DAG that changes PATH per step) start the table afresh.
    static let limit = 256

    private let paths = Mutex<[String: String]>([:])

    func path(for key: String) -> String? {
        paths.withLock { $0[key] }
    }

    func remember(_ path: String, for key: String) {
        paths.withLock { table in
            if table.count >= Self.limit { table.removeAll() }
            table[key] = path
        }
    }
}
