import Foundation
import Synchronization
import TrellisCore

/// Folded day index files kept between listings. Index files only grow by appends (a rewrite by
/// retention replaces the inode), so a cached day is brought up to date by folding just the
/// lines appended since: today's file, which grows with every run, is not read and sorted again
/// in full by each listing (that cost, and the transient memory with it, grew with the number of
/// runs of the day). Old days never change, so deep pages stop decoding them again.
/// A day is kept as ``FoldedDay`` slots (about 45 bytes a run with the run table); bounded by
/// the number of slots held, the oldest files cached go first.
final class FoldedDayCache: Sendable {
    /// A fold: slots to read lines back from, or the entries themselves when the file could not
    /// be folded incrementally (see ``DayIndex``).
    enum Folded {
        case slots(FoldedDay)
        case entries([RunIndexEntry])
    }

    /// One day file folded up to `consumed` bytes (the end of its last complete line).
    private struct Day {
        var folded: FoldedDay
        var consumed: Int64
        /// The stamp the fold is complete for (a matching stamp needs no read at all).
        var stamp: FileStamp?
        /// Each run's creation time in milliseconds, by ``RunHash``: where its slot is.
        var millisByRun: [UInt64: Int64]

        init(device: UInt64, inode: UInt64) {
            folded = FoldedDay(device: device, inode: inode, slots: [])
            consumed = 0
            millisByRun = [:]
        }
    }

    private struct State {
        var files: [String: Day] = [:]
        var order: [String] = []
        var count = 0
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int = 100_000) {
        self.limit = limit
    }

    /// The day's runs in listing order; no slots when the file is missing.
    func fold(fileAt path: String) throws(StoreError) -> Folded {
        let stamp = FileStamp(path: path)
        if stamp.size < 0 { return .entries([]) }
        return try state.withLock { state throws(StoreError) -> Folded in
            if let day = state.files[path], day.stamp == stamp { return .slots(day.folded) }
            var day: Day
            if let cached = state.files[path], cached.folded.device == stamp.device, cached.folded.inode == stamp.inode,
               cached.consumed <= stamp.size {
                day = cached
            } else {
                day = Day(device: stamp.device, inode: stamp.inode)
            }
            forget(path, in: &state)
            guard try Self.catchUp(&day, path: path) else { return .entries(try DayIndex.fold(fileAt: path)) }
            // Complete for `stamp` only when nothing was appended after it was taken.
            day.stamp = day.consumed == stamp.size ? stamp : nil
            guard day.folded.slots.count <= limit else { return .slots(day.folded) }
            state.files[path] = day
            state.order.append(path)
            state.count += day.folded.slots.count
            while state.count > limit, let evicted = state.order.first, evicted != path {
                forget(evicted, in: &state)
            }
            return .slots(day.folded)
        }
    }

    /// Every entry of the day in listing order, decoded (for checks; listings read a page's
    /// lines only, through ``FoldedDayReader``).
    func entries(fileAt path: String) throws(StoreError) -> [RunIndexEntry] {
        let reader = try FoldedDayReader(fold(fileAt: path), path: path, after: nil)
        var entries: [RunIndexEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }

    private func forget(_ path: String, in state: inout State) {
        guard let old = state.files.removeValue(forKey: path) else { return }
        state.count -= old.folded.slots.count
        state.order.removeAll { $0 == path }
    }

    /// Folds the complete lines after `day.consumed` into `day`; `false` when it cannot: the file
    /// is not the one folded so far (replaced or shrunk), or a folded line no longer reads back
    /// as its run. The caller then reads the file whole. A day not folded yet takes the identity
    /// of the file it opens.
    private static func catchUp(_ day: inout Day, path: String) throws(StoreError) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { day = Day(device: 0, inode: 0); return true }
            throw Posix.failure("open file", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        let size = Int64(info.st_size)
        if UInt64(info.st_ino) != day.folded.inode || UInt64(info.st_dev) != day.folded.device || size < day.consumed {
            guard day.consumed == 0 else { return false }
            day = Day(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
        guard size > day.consumed else { return true }
        var lines = DayLines(fd: fd, path: path)
        lines.tail = try Posix.read(fd, offset: day.consumed, count: Int(size - day.consumed), path: path)
        lines.tailOffset = day.consumed
        guard let end = lines.tail.lastIndex(of: UInt8(ascii: "\n")) else { return true }
        var start = 0
        while start < end {
            let newline = lines.tail[start...end].firstIndex(of: UInt8(ascii: "\n")) ?? end
            defer { start = newline + 1 }
            guard newline > start,
                  let entry = StoreJSON.decodeLine(RunIndexEntry.self, Data(lines.tail[start..<newline]), decoder: lines.decoder)
            else { continue }
            guard try apply(entry, offset: day.consumed + Int64(start), length: newline - start, to: &day, lines: lines) else {
                return false
            }
        }
        day.consumed += Int64(end + 1)
        return true
    }

    /// The last line of each run wins; slots stay in listing order (``RunOrderKey``).
    private static func apply(_ entry: RunIndexEntry, offset: Int64, length: Int, to day: inout Day,
                              lines: DayLines) throws(StoreError) -> Bool {
        let hash = RunHash.of(entry.run)
        let slot = FoldedDay.slot(entry, hash: hash, offset: offset, length: length)
        if let millis = day.millisByRun[hash] {
            let old = RunOrderKey(millis: millis, name: entry.dag, id: entry.runId)
            // The run's slot is where its old key sorts; anything else there is another run
            // with the same hash, which the slots cannot tell apart.
            guard let at = try FoldedDay.boundary(in: day.folded.slots, millis: millis, lines: lines, before: { $0 < old }),
                  at < day.folded.slots.count, day.folded.slots[at].millis == millis,
                  let found = try lines.entry(day.folded.slots[at]), found.run == entry.run else { return false }
            if millis == slot.millis {
                day.folded.slots[at] = slot
                return true
            }
            day.folded.slots.remove(at: at)
        }
        let key = RunOrderKey(entry)
        guard let at = try FoldedDay.boundary(in: day.folded.slots, millis: slot.millis, lines: lines, before: { $0 < key })
        else { return false }
        day.folded.slots.insert(slot, at: at)
        day.millisByRun[hash] = slot.millis
        return true
    }
}
