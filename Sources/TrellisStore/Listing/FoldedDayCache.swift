import Foundation
import Synchronization
import TrellisCore

/// Folded day index files kept between listings. Index files only grow by appends (a rewrite by
/// retention replaces the inode), so a cached day is brought up to date by folding just the
/// lines appended since: today's file, which grows with every run, is not read and sorted again
/// in full by each listing (that cost, and the transient memory with it, grew with the number of
/// runs of the day). Old days never change, so deep pages stop decoding them again.
/// Bounded by the number of entries held; the oldest files cached go first.
final class FoldedDayCache: Sendable {
    /// One day file folded up to `consumed` bytes (the end of its last complete line).
    private struct Day {
        var device: UInt64
        var inode: UInt64
        var consumed: Int64
        /// The stamp the fold is complete for (a matching stamp needs no read at all).
        var stamp: FileStamp?
        /// The last entry of each run, in listing order.
        var entries: [RunIndexEntry]
        /// Each run's creation time in milliseconds: with its name and ID, its ``RunOrderKey``.
        var keys: [RunRef: Int64]
    }

    private struct State {
        var files: [String: Day] = [:]
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
        return try state.withLock { state throws(StoreError) -> [RunIndexEntry] in
            if let day = state.files[path], day.stamp == stamp { return day.entries }
            var day: Day
            if let cached = state.files[path], cached.device == stamp.device, cached.inode == stamp.inode,
               cached.consumed <= stamp.size {
                day = cached
            } else {
                day = Day(device: stamp.device, inode: stamp.inode, consumed: 0, stamp: nil, entries: [], keys: [:])
            }
            guard try Self.catchUp(&day, path: path) else {
                forget(path, in: &state)
                return try DayIndex.fold(fileAt: path)
            }
            // Complete for `stamp` only when nothing was appended after it was taken.
            day.stamp = day.consumed == stamp.size ? stamp : nil
            forget(path, in: &state)
            guard day.entries.count <= limit else { return day.entries }
            state.files[path] = day
            state.order.append(path)
            state.count += day.entries.count
            while state.count > limit, let evicted = state.order.first, evicted != path {
                forget(evicted, in: &state)
            }
            return day.entries
        }
    }

    private func forget(_ path: String, in state: inout State) {
        guard let old = state.files.removeValue(forKey: path) else { return }
        state.count -= old.entries.count
        state.order.removeAll { $0 == path }
    }

    /// Folds the complete lines after `day.consumed` into `day`; `false` when the file is not
    /// the one folded so far (replaced or shrunk), so the caller reads it whole instead. A day
    /// not folded yet takes the identity of the file it opens.
    private static func catchUp(_ day: inout Day, path: String) throws(StoreError) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { day.entries = []; day.keys = [:]; return true }
            throw Posix.failure("open file", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        let size = Int64(info.st_size)
        if UInt64(info.st_ino) != day.inode || UInt64(info.st_dev) != day.device || size < day.consumed {
            guard day.consumed == 0 else { return false }
            day = Day(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), consumed: 0, stamp: nil, entries: [], keys: [:])
        }
        guard size > day.consumed else { return true }
        let bytes = try Posix.read(fd, offset: day.consumed, count: Int(size - day.consumed), path: path)
        guard let end = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return true }
        apply(LineScanner.records(RunIndexEntry.self, in: Data(bytes[...end])), to: &day)
        day.consumed += Int64(end + 1)
        return true
    }

    /// The last line of each run wins; entries stay in listing order (``RunOrderKey``).
    private static func apply(_ lines: [RunIndexEntry], to day: inout Day) {
        for var entry in lines {
            let run = entry.run
            if let millis = day.keys[run] {
                let old = RunOrderKey(millis: millis, name: run.name, id: run.id)
                let at = lowerBound(old, in: day.entries)
                if at < day.entries.count, day.entries[at].run == run {
                    // A run's later lines repeat its name and ID: keep the stored strings, so the
                    // cache holds one copy of each per run, not one per line.
                    entry.runId = day.entries[at].runId
                    entry.dag = day.entries[at].dag
                    if millis == UTCDay.milliseconds(entry.createdAt) {
                        day.entries[at] = entry
                        continue
                    }
                    day.entries.remove(at: at)
                }
            }
            day.entries.insert(entry, at: lowerBound(RunOrderKey(entry), in: day.entries))
            day.keys[entry.run] = UTCDay.milliseconds(entry.createdAt)
        }
    }

    /// The first position whose key is not below `key`.
    private static func lowerBound(_ key: RunOrderKey, in entries: [RunIndexEntry]) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if RunOrderKey(entries[middle]) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
