import Foundation
import TrellisCore

/// Reads the flat part of a stored event line — `{"id":"…","schemaVersion":1,…` up to `data`
/// or the end — without building a JSON tree: the reader indexes every line of a day file, and
/// this is where that time goes. Anything unexpected (an escape in a string, a nested value
/// before `data`, a missing field) gives `nil`, and the caller uses the JSON parser instead.
enum EventHeaderScanner {
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> EventLogEntry? {
        var index = 0
        let count = line.count
        guard count > 1, line[0] == UInt8(ascii: "{") else { return nil }
        index = 1
        var id: String?, type: String?, source: String?, kind: String?, instance: String?
        var dagName: String?, dagRunId: String?, attemptId: String?, status: String?
        var occurred: Int64?, recorded: Int64?, schemaVersion: Int?
        while index < count {
            guard let (keyStart, keyEnd) = string(line, from: &index), index < count, line[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            let key = UnsafeBufferPointer(rebasing: line[keyStart..<keyEnd])
            if equals(key, "data") { break }
            guard index < count else { return nil }
            if line[index] == UInt8(ascii: "\"") {
                guard let (start, end) = string(line, from: &index) else { return nil }
                let value = UnsafeBufferPointer(rebasing: line[start..<end])
                switch key.count {
                case 2 where equals(key, "id"): id = text(value)
                case 4 where equals(key, "type"): type = text(value)
                case 4 where equals(key, "kind"): kind = text(value)
                case 6 where equals(key, "status"): status = text(value)
                case 7 where equals(key, "dagName"): dagName = text(value)
                case 8 where equals(key, "dagRunId"): dagRunId = text(value)
                case 9 where equals(key, "attemptId"): attemptId = text(value)
                case 10 where equals(key, "occurredAt"): occurred = EventTime.parse(utf8: value)
                case 10 where equals(key, "recordedAt"): recorded = EventTime.parse(utf8: value)
                case 13 where equals(key, "sourceService"): source = text(value)
                case 14 where equals(key, "sourceInstance"): instance = text(value)
                default: break
                }
            } else {
                var number = 0
                var digits = 0
                while index < count, line[index] >= 48, line[index] <= 57, digits < 18 {
                    number = number * 10 + Int(line[index] - 48)
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
                if equals(key, "schemaVersion") { schemaVersion = number }
            }
            guard index < count else { return nil }
            if line[index] == UInt8(ascii: ",") {
                index += 1
            } else if line[index] == UInt8(ascii: "}") {
                break
            } else {
                return nil
            }
        }
        guard let id, !id.isEmpty, let occurred, let recorded, let type, let source else { return nil }
        return EventLogEntry(id: id, occurredAt: occurred, recordedAt: recorded, type: type, sourceService: source,
                             sourceInstance: instance, dagName: dagName, dagRunId: dagRunId, attemptId: attemptId, status: status,
                             kind: kind ?? EventLogEntry.dagRunKind, schemaVersion: schemaVersion ?? EventLogEntry.currentSchemaVersion)
    }

    /// A string without escapes starting at `index` (its opening quote): the content's range;
    /// `index` moves past the closing quote.
    private static func string(_ line: UnsafeBufferPointer<UInt8>, from index: inout Int) -> (Int, Int)? {
        guard index < line.count, line[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var cursor = start
        while cursor < line.count {
            let byte = line[cursor]
            if byte == UInt8(ascii: "\"") {
                index = cursor + 1
                return (start, cursor)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            cursor += 1
        }
        return nil
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let other = literal.utf8Start
        for offset in 0..<bytes.count where bytes[offset] != other[offset] { return false }
        return true
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
