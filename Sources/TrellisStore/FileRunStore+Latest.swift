import Foundation
import TrellisCore

extension FileRunStore {
    /// A cached newest run of a DAG name and what it was read from.
    struct LatestEntry {
        var stamps: [FileStamp]
        var entry: RunIndexEntry?
    }

    /// Beyond this many DAG names the cache starts over (it is only a shortcut).
    static let latestEntryLimit = 20_000

    /// The newest run of `dagName` from its newest day index, unconfirmed. Cached: a later call
    /// only `stat`s the DAG's folder, the newest year, month and day folders and that day's index
    /// (a new day, a new run or a new lifecycle line changes one of them), so listing DAGs
    /// reads no index or run file while nothing changes.
    public func latestIndexEntry(dagName: String) throws(StoreError) -> RunIndexEntry? {
        guard RunLayout.isSafeName(dagName) else { throw StoreError(.invalid, "\"\(dagName)\" is not a DAG name") }
        if let cached = latestEntries.withLock({ $0[dagName] }), cached.stamps.allSatisfy(\.isCurrent) {
            return cached.entry
        }
        // Stamp each folder before listing it, so a change during the read invalidates the result.
        var folder = layout.dagDirectory(dagName)
        var stamps = [FileStamp(path: folder)]
        for width in [4, 2, 2] {
            guard let newest = try DayFileWalker.numbered(folder, width: width).first else {
                if width == 4 { return remember(dagName, LatestEntry(stamps: stamps, entry: nil)) }
                return try uncachedLatest(dagName)
            }
            folder += "/" + newest
            stamps.append(FileStamp(path: folder))
        }
        let indexPath = folder + "/index.jsonl"
        stamps.append(FileStamp(path: indexPath))
        let day = folder.suffix(10).replacingOccurrences(of: "/", with: "-")
        for entry in try DayIndex.fold(fileAt: indexPath)
        where RunLayout.isSafeName(entry.runId) && Posix.exists(layout.rootRunDirectory(entry.run, day: day) + "/run.json") {
            return remember(dagName, LatestEntry(stamps: stamps, entry: entry))
        }
        // The newest day holds no readable run: walk back without caching.
        return try uncachedLatest(dagName)
    }

    private func uncachedLatest(_ dagName: String) throws(StoreError) -> RunIndexEntry? {
        try runs(dagName: dagName, limit: 1, cursor: nil).entries.first
    }

    /// Caches `latest` unless one of its folders changed too recently to trust its stamp (an
    /// index file is checked by its size, which every append changes).
    private func remember(_ dagName: String, _ latest: LatestEntry) -> RunIndexEntry? {
        guard latest.stamps.allSatisfy({ $0.path.hasSuffix(".jsonl") || $0.isSettled() }) else { return latest.entry }
        latestEntries.withLock { cache in
            if cache.count >= Self.latestEntryLimit { cache.removeAll() }
            cache[dagName] = latest
        }
        return latest.entry
    }
}
