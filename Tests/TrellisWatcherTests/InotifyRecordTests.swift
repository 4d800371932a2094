import Glibc
import Testing
@testable import TrellisWatcher

/// Parsing packed, unaligned `inotify_event` records, and what each one means.
@Suite struct InotifyRecordTests {
    private func bytes(_ records: [(wd: Int32, mask: Int32, name: String, length: Int)]) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            withUnsafeBytes(of: record.wd.littleEndian) { out += $0 }
            withUnsafeBytes(of: UInt32(bitPattern: record.mask).littleEndian) { out += $0 }
            withUnsafeBytes(of: UInt32(7).littleEndian) { out += $0 }
            withUnsafeBytes(of: UInt32(record.length).littleEndian) { out += $0 }
            var name = Array(record.name.utf8)
            name += [UInt8](repeating: 0, count: record.length - name.count)
            out += name
        }
        return out
    }

    @Test func parsesUnalignedRecordsBackToBack() {
        // Lengths of 5 and 3 put later records at offsets that are not multiples of 4.
        let buffer = bytes([(1, IN_CREATE, "a.yml", 5), (1, IN_CLOSE_WRITE, "b", 3), (1, IN_DELETE, "long-name.yaml", 16)])
        let records = buffer.withUnsafeBytes { InotifyRecord.parse($0) }
        #expect(records.map(\.name) == ["a.yml", "b", "long-name.yaml"])
        #expect(records.map(\.mask) == [UInt32(IN_CREATE), UInt32(IN_CLOSE_WRITE), UInt32(IN_DELETE)])
        #expect(records.allSatisfy { $0.cookie == 7 && $0.watchDescriptor == 1 })
    }

    @Test func aTruncatedTrailingRecordIsDropped() {
        let buffer = bytes([(1, IN_CREATE, "a.yaml", 8), (1, IN_CREATE, "b.yaml", 8)]).dropLast(3)
        let records = Array(buffer).withUnsafeBytes { InotifyRecord.parse($0) }
        #expect(records.map(\.name) == ["a.yaml"])
    }

    @Test(arguments: [
        (IN_CREATE, InotifyRecord.Action.changed("x")),
        (IN_CLOSE_WRITE, .changed("x")),
        (IN_MOVED_TO, .changed("x")),
        (IN_DELETE, .removed("x")),
        (IN_MOVED_FROM, .removed("x")),
        (IN_CLOSE_NOWRITE, .ignore),
    ])
    func entryEventsMapToActions(mask: Int32, expected: InotifyRecord.Action) {
        let record = InotifyRecord(watchDescriptor: 3, mask: UInt32(bitPattern: mask), cookie: 0, name: "x")
        #expect(record.action(currentWatch: 3) == expected)
        #expect(record.action(currentWatch: 4) == .ignore, "a stale watch is ignored")
    }

    @Test func directoryLevelEvents() {
        let overflow = InotifyRecord(watchDescriptor: -1, mask: UInt32(IN_Q_OVERFLOW), cookie: 0, name: "")
        #expect(overflow.action(currentWatch: 1) == .overflow)
        #expect(overflow.action(currentWatch: nil) == .overflow)
        for mask in [IN_DELETE_SELF, IN_MOVE_SELF, IN_IGNORED] {
            let record = InotifyRecord(watchDescriptor: 1, mask: UInt32(bitPattern: mask), cookie: 0, name: "")
            #expect(record.action(currentWatch: 1) == .watchLost)
        }
    }
}
