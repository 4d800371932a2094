#if canImport(Glibc)
import Glibc
#endif

/// One `struct inotify_event` as read from the descriptor, with its name decoded.
struct InotifyRecord: Sendable, Hashable {
    /// What a record means for the watcher.
    enum Action: Sendable, Hashable {
        /// The entry is ready (created, closed after writing, moved in).
        case changed(String)
        /// The entry is gone (deleted, moved out).
        case removed(String)
        /// The kernel queue overflowed: events were lost.
        case overflow
        /// The watch on the directory itself ended (deleted, moved, or removed).
        case watchLost
        /// Nothing to report (e.g. an event for a stale watch).
        case ignore
    }

    /// The size of the fixed part of `struct inotify_event`; the name starts here.
    static let headerSize = 16

    var watchDescriptor: Int32
    var mask: UInt32
    var cookie: UInt32
    /// The entry name (empty for events about the watched directory itself).
    var name: String

    /// Splits a buffer filled by `read(2)` into records. The kernel packs records back to back
    /// and the flexible `name[]` makes them unaligned, so every field is read with
    /// `loadUnaligned`. A truncated trailing record is dropped.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> [InotifyRecord] {
        var records: [InotifyRecord] = []
        var offset = 0
        while offset + headerSize <= bytes.count {
            let descriptor = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + headerSize
            guard nameStart + length <= bytes.count else { break }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + length)])
            let nameBytes = raw.prefix { $0 != 0 }
            let name = String(decoding: nameBytes, as: UTF8.self)
            records.append(InotifyRecord(watchDescriptor: descriptor, mask: mask, cookie: cookie, name: name))
            offset = nameStart + length
        }
        return records
    }

    /// Whether any bit of `flags` is set in the mask.
    func has(_ flags: Int32) -> Bool { mask & UInt32(bitPattern: flags) != 0 }

    /// What this record means when `current` is the live watch descriptor (`nil`: none).
    func action(currentWatch current: Int32?) -> Action {
        if has(IN_Q_OVERFLOW) { return .overflow }
        guard watchDescriptor == current else { return .ignore }
        if has(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) { return .watchLost }
        guard !name.isEmpty else { return .ignore }
        if has(IN_DELETE | IN_MOVED_FROM) { return .removed(name) }
        if has(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO) { return .changed(name) }
        return .ignore
    }
}
