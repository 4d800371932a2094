import Foundation
import TrellisCore

/// A day index file folded to one slot per run, in listing order (``RunOrderKey``): where the
/// run's last line is in the file, and the time part of its order key. The lines themselves stay
/// on disk and are decoded when a listing reaches them, so a day of runs costs 24 bytes a run in
/// memory, not a decoded entry with its strings.
struct FoldedDay: Sendable {
    struct Slot: Sendable, Equatable {
        /// The run's creation time in milliseconds (its order key without name and ID).
        var millis: Int64
        var offset: Int64
        var length: UInt32
        /// Part of ``RunHash`` of the run: a line read back must belong to the same run.
        var tag: UInt32
    }

    var device: UInt64
    var inode: UInt64
    var slots: [Slot]

    static func slot(_ entry: RunIndexEntry, hash: UInt64, offset: Int64, length: Int) -> Slot {
        Slot(millis: UTCDay.milliseconds(entry.createdAt), offset: offset, length: UInt32(clamping: length), tag: tag(hash))
    }

    /// The part of a run's ``RunHash`` a slot keeps.
    static func tag(_ hash: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: hash >> 32)
    }

    /// The first position whose run is not `before` the boundary: slots are compared by time,
    /// and only runs created in the same millisecond have their line read to compare names and
    /// IDs. `nil` when such a line no longer reads back as the run it was folded from.
    static func boundary(in slots: [Slot], millis: Int64, lines: DayLines,
                         before: (RunOrderKey) -> Bool) throws(StoreError) -> Int? {
        var low = 0, high = slots.count
        while low < high {
            let middle = (low + high) / 2
            let slot = slots[middle]
            let isBefore: Bool
            if slot.millis != millis {
                isBefore = slot.millis > millis
            } else {
                guard let entry = try lines.entry(slot) else { return nil }
                isBefore = before(RunOrderKey(entry))
            }
            if isBefore { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// A 64-bit FNV-1a hash of a run's DAG name and ID: stable, and cheap enough for every line.
enum RunHash {
    static func of(_ run: RunRef) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for byte in run.name.utf8 { mix(byte) }
        mix(0)
        for byte in run.id.utf8 { mix(byte) }
        return hash
    }
}

/// Reads a folded day's lines back by slot: from bytes already in memory (the part of the file
/// just read by a fold), else with `pread`. A line that no longer decodes as the run of its slot
/// (the file was changed in place, which the store never does) reads as `nil`.
struct DayLines {
    let fd: Int32
    let path: String
    var tail: [UInt8] = []
    /// The file offset of `tail`'s first byte.
    var tailOffset: Int64 = .max
    let decoder = StoreJSON.decoder()

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func entry(_ slot: FoldedDay.Slot) throws(StoreError) -> RunIndexEntry? {
        let count = Int(slot.length)
        let bytes: [UInt8]
        if slot.offset >= tailOffset, slot.offset - tailOffset + Int64(count) <= Int64(tail.count) {
            let start = Int(slot.offset - tailOffset)
            bytes = Array(tail[start..<start + count])
        } else {
            bytes = try Posix.read(fd, offset: slot.offset, count: count, path: path)
        }
        guard bytes.count == count, let entry = StoreJSON.decodeLine(RunIndexEntry.self, Data(bytes), decoder: decoder),
              UTCDay.milliseconds(entry.createdAt) == slot.millis,
              FoldedDay.tag(RunHash.of(entry.run)) == slot.tag else { return nil }
        return entry
    }
}
