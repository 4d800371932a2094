import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// Turns the bytes of a day file into index items, fast: ``EventHeaderScanner`` reads the flat
/// fields before `data` (the writer puts it last); the JSON parser takes those fields, or the
/// whole line, only when that fails.
enum EventLineIndexer {
    private static let dataKey = Array(",\"data\":".utf8)

    /// The items of the complete lines of `bytes` (lines without a newline are left), and how
    /// many bytes those lines take.
    static func index(_ bytes: [UInt8], baseOffset: Int64, file: Int) -> ([EventIndexItem], Int64) {
        var items: [EventIndexItem] = []
        var consumed = 0
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                guard let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) else { break }
                let newline = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let length = newline - start
                if length > 0, let entry = header(UnsafeBufferPointer(rebasing: buffer[start..<newline])) {
                    items.append(EventIndexItem(entry: entry, file: file, offset: baseOffset + Int64(start), length: length))
                }
                start = newline + 1
                consumed = start
            }
        }
        return (items, Int64(consumed))
    }

    /// The entry without `data` (enough for the index), or `nil` for a line that is not an entry.
    static func header(_ line: UnsafeBufferPointer<UInt8>) -> EventLogEntry? {
        if let entry = EventHeaderScanner.scan(line) { return entry }
        if let cut = find(dataKey, in: line) {
            var prefix = Array(line[0..<cut])
            prefix.append(UInt8(ascii: "}"))
            if let entry = EventLogEntry(line: String(decoding: prefix, as: UTF8.self)) { return entry }
        }
        return EventLogEntry(line: String(decoding: line, as: UTF8.self))
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
