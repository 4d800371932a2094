import Glibc
import TrellisCore

/// Reads a log file as the `Log` object of API §9.8 with `tail`/`head`/`offset`/`limit`
/// (precedence tail > head > offset+limit > first `limit` lines).
///
/// Works on the file's bytes: lines end at `\n`, and only the selected lines are decoded (as
/// UTF-8, invalid bytes replaced): a `tail=50` of a large log costs one read and two scans for
/// newlines, not a string per line.
enum LogSlice {
    static let defaultLimit = 1000
    static let maxLimit = 10_000

    /// - Parameter missingIsEmpty: a file that does not exist reads as empty (a step log not
    ///   written yet) instead of 404.
    static func read(_ path: String, query: QueryParameters, missingIsEmpty: Bool = false) throws(APIError) -> JSONValue {
        let tail = try query.int("tail")
        let head = try query.int("head")
        let offset = try query.int("offset")
        let limit = min(maxLimit, max(1, try query.int("limit") ?? defaultLimit))
        let bytes: [UInt8]
        switch FileBytes.read(path) {
        case .success(let read): bytes = read
        case .failure(.system(errno: ENOENT)) where missingIsEmpty: bytes = []
        case .failure: throw APIError.notFound("log file not found")
        }
        return slice(bytes, tail: tail, head: head, offset: offset, limit: limit)
    }

    /// The `Log` object for the lines of `bytes` the parameters select.
    static func slice(_ bytes: [UInt8], tail: Int?, head: Int?, offset: Int?, limit: Int) -> JSONValue {
        if bytes.isEmpty { return .object(JSONObject([("content", .string(""))])) }
        let lines = LineSpans(bytes)
        let total = lines.count
        let first: Int, count: Int, hasMore: Bool
        if let tail, tail > 0 {
            count = min(tail, maxLimit, total)
            first = total - count
            hasMore = count < total
        } else if let head, head > 0 {
            first = 0
            count = min(head, maxLimit, total)
            hasMore = count < total
        } else {
            first = min(max(1, offset ?? 1) - 1, total)
            count = min(limit, total - first)
            hasMore = first + count < total
        }
        let content = count > 0 ? String(decoding: bytes[lines.bytes(ofLines: first..<(first + count))], as: UTF8.self) : ""
        var object = JSONObject([("content", .string(content))])
        if count > 0 { object["lineCount"] = .integer(count) }
        object["totalLines"] = .integer(total)
        if hasMore { object["hasMore"] = .bool(true) }
        return .object(object)
    }
}

/// Line positions in a non-empty byte buffer: line `n` starts after the `n`-th `\n`; a final
/// `\n` ends the last line rather than starting an empty one.
struct LineSpans {
    let bytes: [UInt8]
    let count: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let newlines = bytes.reduce(into: 0) { total, byte in if byte == 0x0A { total += 1 } }
        count = newlines + (bytes.last == 0x0A ? 0 : 1)
    }

    /// The byte range of lines `range` (non-empty), without the newline after the last one.
    func bytes(ofLines range: Range<Int>) -> Range<Int> {
        let start = self.start(ofLine: range.lowerBound)
        var end = range.upperBound < count ? self.start(ofLine: range.upperBound, from: (range.lowerBound, start)) - 1 : bytes.count
        if range.upperBound == count && bytes.last == 0x0A { end -= 1 }
        return start..<end
    }

    /// Where line `line` starts, scanning on from a known line start.
    private func start(ofLine line: Int, from known: (line: Int, offset: Int) = (0, 0)) -> Int {
        var current = known.line
        var index = known.offset
        while current < line {
            // The caller only asks for lines that exist, so a newline is always found.
            while bytes[index] != 0x0A { index += 1 }
            index += 1
            current += 1
        }
        return index
    }
}
