import Synchronization
import TrellisCore

/// Folded day index files kept between listings, each valid while its file's stamp (inode,
/// size, modification time) is unchanged: index files only grow by appends, and a rewrite by
/// retention replaces the inode. Old days never change, so deep pages stop decoding them again.
/// Bounded by the number of entries held; the oldest files cached go first.
final class FoldedDayCache: Sendable {
    private struct State {
        var files: [String: (stamp: FileStamp, entries: [RunIndexEntry])] = [:]
        var order: [String] = []
        var count = 0
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int = 40_000) {
        self.limit = limit
    }

    /// The day's entries in listing order; `[]` when the file is missing.
    func fold(fileAt path: String) throws(StoreError) -> [RunIndexEntry] {
        let stamp = FileStamp(path: path)
        if stamp.size < 0 { return [] }
        if let cached = state.withLock({ $0.files[path] }), cached.stamp == stamp { return cached.entries }
        let entries = try DayIndex.fold(fileAt: path)
        // Keep only what was read from the file as stamped (an append meanwhile: next call re-reads).
        guard FileStamp(path: path) == stamp, entries.count <= limit else { return entries }
        state.withLock { state in
            if let old = state.files[path] {
                state.count -= old.entries.count
                state.order.removeAll { $0 == path }
            }
            state.files[path] = (stamp, entries)
            state.order.append(path)
            state.count += entries.count
            while state.count > limit, !state.order.isEmpty {
                let evicted = state.order.removeFirst()
                state.count -= state.files.removeValue(forKey: evicted)?.entries.count ?? 0
            }
        }
        return entries
    }
}
