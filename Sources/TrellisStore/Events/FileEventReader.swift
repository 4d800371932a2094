import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TrellisCore

/// Reads the event log a page at a time (API §8.1).
///
/// Each day file's lines are indexed once (`EventIndexItem`: the fields filters and ordering
/// need plus the line's byte range) and kept per file keyed by (device, inode, size): an
/// unchanged file is never read again, a grown one only from where indexing stopped. The merged,
/// sorted, de-duplicated list of all files is kept too while no file changes, so an offset
/// page costs one pass over the index plus parsing the page's own lines. Cursor mode without a
/// valid merged list reads day files newest first and stops once the page is settled.
/// A torn last line (no newline yet) is not indexed until it is complete.
public final class FileEventReader: EventLogReading {
    let log: FileEventLog
    private let cache = Mutex(Cache())

    struct FileKey: Hashable {
        var day: String
        var device: UInt64
        var inode: UInt64
        var size: Int64
    }

    struct FileIndex {
        var key: FileKey
        /// Bytes indexed: the offset after the last complete line seen.
        var indexedUpTo: Int64
        var items: [EventIndexItem]
    }

    struct Cache {
        var files: [String: FileIndex] = [:]
        /// Stable small numbers for day files, used in index items.
        var numbers: [String: Int] = [:]
        var days: [String] = []
        var merged: (keys: [FileKey], items: [EventIndexItem])?
        /// The IDs in ``merged``.
        var mergedIDs = Set<String>()

        mutating func number(of day: String) -> Int {
            if let number = numbers[day] { return number }
            numbers[day] = days.count
            days.append(day)
            return days.count - 1
        }
    }

    public init(log: FileEventLog) {
        self.log = log
    }

    public func page(_ query: EventQuery) throws(StoreError) -> EventPage {
        let days = try log.days()
        let keys = days.compactMap(key)
        let selection: EventSelection.Selection
        let dayNames: [String]
        do {
            (selection, dayNames) = try cache.withLock { cache throws(StoreError) in
                let live = Set(keys.map(\.day))
                cache.files = cache.files.filter { live.contains($0.key) }
                if let merged = cache.merged, merged.keys == keys {
                    return (EventSelection.select(merged.items, query: query), cache.days)
                }
                if try extendMerged(to: keys, cache: &cache), let merged = cache.merged {
                    return (EventSelection.select(merged.items, query: query), cache.days)
                }
                if case .offset = query.pagination {
                    let merged = try mergedItems(keys, cache: &cache)
                    return (EventSelection.select(merged, query: query), cache.days)
                }
                return (try progressive(keys, query: query, cache: &cache), cache.days)
            }
        }
        let entries = try materialize(selection.items, dayNames: dayNames)
        return EventPage(entries: entries, total: selection.total, next: selection.next)
    }

    // MARK: - Selecting

    /// Every file's items merged; kept until a file changes.
    private func mergedItems(_ keys: [FileKey], cache: inout Cache) throws(StoreError) -> [EventIndexItem] {
        var all: [EventIndexItem] = []
        for key in keys { all += try items(of: key, cache: &cache) }
        let merged = EventSelection.sortedUnique(all)
        cache.merged = (keys, merged)
        cache.mergedIDs = Set(merged.map(\.position.id))
        return merged
    }

    /// When the same files only grew since the merged list was built (the usual case: events
    /// appended to today's file), merges the new lines' items into it instead of sorting
    /// everything again. `false` when the files changed otherwise.
    private func extendMerged(to keys: [FileKey], cache: inout Cache) throws(StoreError) -> Bool {
        guard let merged = cache.merged, merged.keys.count == keys.count else { return false }
        for (old, new) in zip(merged.keys, keys) {
            guard old.day == new.day, old.device == new.device, old.inode == new.inode, old.size <= new.size,
                  let index = cache.files[old.day], index.key == old else { return false }
        }
        var added: [EventIndexItem] = []
        for (old, new) in zip(merged.keys, keys) where old.size < new.size {
            let before = cache.files[old.day]?.items.count ?? 0
            let items = try items(of: new, cache: &cache)
            guard items.count >= before else { return false }
            added += items[before...]
        }
        var fresh: [EventIndexItem] = []
        for item in EventSelection.sortedUnique(added) where cache.mergedIDs.insert(item.position.id).inserted {
            fresh.append(item)
        }
        cache.merged = (keys, EventSelection.merge(merged.items, fresh))
        return true
    }

    /// Cursor mode: day files newest first until the page is settled.
    private func progressive(_ keys: [FileKey], query: EventQuery, cache: inout Cache) throws(StoreError) -> EventSelection.Selection {
        var read: [EventIndexItem] = []
        var sorted: [EventIndexItem] = []
        var index = 0
        while index < keys.count {
            let key = keys[index]
            index += 1
            // A day file whose entries all occurred before `startTime` holds no match; neither do older ones.
            if let start = query.filter.startTime, let latest = EventSelection.latestOccurrence(inDay: key.day), latest < start {
                break
            }
            read += try items(of: key, cache: &cache)
            sorted = EventSelection.sortedUnique(read)
            let unreadLatest = index < keys.count ? EventSelection.latestOccurrence(inDay: keys[index].day) : nil
            if EventSelection.isSettled(sorted, query: query, unreadLatest: unreadLatest) { break }
        }
        if index >= keys.count, query.filter.startTime == nil {
            cache.merged = (keys, sorted)
            cache.mergedIDs = Set(sorted.map(\.position.id))
        }
        return EventSelection.select(sorted, query: query)
    }

    // MARK: - Indexing

    private func key(_ day: String) -> FileKey? {
        var info = stat()
        guard stat(log.path(day: day), &info) == 0 else { return nil }
        return FileKey(day: day, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size))
    }

    /// The items of one day file, indexing only what changed since the cached state.
    private func items(of key: FileKey, cache: inout Cache) throws(StoreError) -> [EventIndexItem] {
        var index: FileIndex
        if let cached = cache.files[key.day], cached.key.device == key.device, cached.key.inode == key.inode,
           cached.key.size <= key.size {
            if cached.key == key { return cached.items }
            index = cached
        } else {
            index = FileIndex(key: key, indexedUpTo: 0, items: [])
        }
        let number = cache.number(of: key.day)
        let path = log.path(day: key.day)
        guard let fd = try Posix.openIfExists(path, O_RDONLY, action: "open event file") else { return [] }
        defer { Glibc.close(fd) }
        let size = Int64(try Posix.status(fd, path: path).st_size)
        if size > index.indexedUpTo {
            let bytes = try Posix.read(fd, offset: index.indexedUpTo, count: Int(size - index.indexedUpTo), path: path)
            let (items, consumed) = EventLineIndexer.index(bytes, baseOffset: index.indexedUpTo, file: number)
            index.items += items
            index.indexedUpTo += consumed
        }
        index.key = FileKey(day: key.day, device: key.device, inode: key.inode, size: size)
        cache.files[key.day] = index
        return index.items
    }

    // MARK: - Reading a page

    /// The full entries of the selected items, read from their lines.
    private func materialize(_ items: [EventIndexItem], dayNames: [String]) throws(StoreError) -> [EventLogEntry] {
        var descriptors: [Int: Int32] = [:]
        defer { for fd in descriptors.values { Glibc.close(fd) } }
        var entries: [EventLogEntry] = []
        entries.reserveCapacity(items.count)
        for item in items {
            guard item.file < dayNames.count else { continue }
            let path = log.path(day: dayNames[item.file])
            let fd: Int32
            if let open = descriptors[item.file] {
                fd = open
            } else {
                // Retention may have removed the file since it was indexed.
                guard let opened = try Posix.openIfExists(path, O_RDONLY, action: "open event file") else { continue }
                descriptors[item.file] = opened
                fd = opened
            }
            let bytes = try Posix.read(fd, offset: item.offset, count: item.length, path: path)
            if let entry = EventLogEntry(line: String(decoding: bytes, as: UTF8.self)) { entries.append(entry) }
        }
        return entries
    }
}
