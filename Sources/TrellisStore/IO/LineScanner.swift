import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// Reads complete JSONL records from an open file. A record is a line that ends with a newline:
/// bytes after the last newline are a torn write and never count, even when they parse.
struct LineScanner {
    let fd: Int32
    let path: String
    /// How much is read per step when walking backwards.
    var chunk = 64 * 1024

    /// The offset of the last newline before `end`, or `nil` when there is none.
    func lastNewline(before end: Int64) throws(StoreError) -> Int64? {
        var upper = end
        while upper > 0 {
            let lower = max(0, upper - Int64(chunk))
            let bytes = try Posix.read(fd, offset: lower, count: Int(upper - lower), path: path)
            if let index = bytes.lastIndex(of: UInt8(ascii: "\n")) { return lower + Int64(index) }
            upper = lower
        }
        return nil
    }

    /// The last complete line in the first `size` bytes that decodes as `T`, walking backwards.
    func lastRecord<T: Decodable>(_ type: T.Type, size: Int64) throws(StoreError) -> T? {
        guard var newline = try lastNewline(before: size) else { return nil }
        while true {
            let previous = try lastNewline(before: newline)
            let start = previous.map { $0 + 1 } ?? 0
            let line = try Posix.read(fd, offset: start, count: Int(newline - start), path: path)
            if let record = StoreJSON.decodeLine(type, Data(line)) { return record }
            guard let previous else { return nil }
            newline = previous
        }
    }

    /// The last complete line of the file at `path` that decodes as `T`; `nil` when the file is
    /// missing or holds no such line.
    static func lastRecord<T: Decodable>(_ type: T.Type, inFileAt path: String) throws(StoreError) -> T? {
        guard let fd = try Posix.openIfExists(path, O_RDONLY, action: "open file") else { return nil }
        defer { close(fd) }
        let size = Int64(try Posix.status(fd, path: path).st_size)
        return try LineScanner(fd: fd, path: path).lastRecord(type, size: size)
    }

    /// Every complete line of `data` that decodes as `T`, in order (others are skipped).
    static func records<T: Decodable>(_ type: T.Type, in data: Data) -> [T] {
        guard let end = data.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let decoder = StoreJSON.decoder()
        return data[data.startIndex..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            .compactMap { StoreJSON.decodeLine(type, Data($0), decoder: decoder) }
    }
}
