import Foundation
import TrellisCore

/// A day's runs in listing order for one listing, from a fold: each line is read and decoded
/// only when the listing reaches it, so a page costs its own lines, however many runs the day
/// has. When the file is not the one the slots were folded from (replaced since, or changed in
/// place), the rest comes from a full fold of the file as it is now.
final class FoldedDayReader {
    private let path: String
    private var slots: [FoldedDay.Slot] = []
    private var lines: DayLines?
    private var entries: [RunIndexEntry]?
    private var position = 0
    /// The key of the last entry returned (or the cursor's): a full fold resumes after it.
    private var last: RunOrderKey?

    /// - Parameter after: only runs that sort after this key (a listing cursor's).
    init(_ folded: FoldedDayCache.Folded, path: String, after: RunOrderKey?) throws(StoreError) {
        self.path = path
        last = after
        switch folded {
        case .entries(let all):
            useEntries(all)
        case .slots(let day):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            var info = stat()
            guard fd >= 0, fstat(fd, &info) == 0, UInt64(info.st_ino) == day.inode, UInt64(info.st_dev) == day.device else {
                if fd >= 0 { close(fd) }
                try refold()
                return
            }
            let dayLines = DayLines(fd: fd, path: path)
            lines = dayLines
            slots = day.slots
            if let after {
                guard let start = try FoldedDay.boundary(in: slots, millis: after.millis, lines: dayLines, before: { $0 <= after })
                else {
                    try refold()
                    return
                }
                position = start
            }
        }
    }

    deinit {
        if let lines { close(lines.fd) }
    }

    /// The next run, or `nil` at the end of the day.
    func next() throws(StoreError) -> RunIndexEntry? {
        if let entries {
            guard position < entries.count else { return nil }
            defer { position += 1 }
            return entries[position]
        }
        guard position < slots.count, let lines else { return nil }
        guard let entry = try lines.entry(slots[position]) else {
            try refold()
            return try next()
        }
        position += 1
        last = RunOrderKey(entry)
        return entry
    }

    private func refold() throws(StoreError) {
        if let lines { close(lines.fd) }
        lines = nil
        useEntries(try DayIndex.fold(fileAt: path))
    }

    private func useEntries(_ all: [RunIndexEntry]) {
        entries = all
        position = last.map { key in all.firstIndex { key < RunOrderKey($0) } ?? all.count } ?? 0
    }
}
