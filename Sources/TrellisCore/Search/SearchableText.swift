#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's text prepared for case-insensitive literal search (API §5): its lines as written,
/// and one lower-cased UTF-8 buffer of all lines joined by `\n` with the offset where each line
/// starts. Built once per file version and shared, so a search only scans bytes.
public struct SearchableText: Sendable {
    /// The lines as written (`\n` or `\r\n` endings removed; no trailing empty line).
    public let lines: [String]
    /// Every line lower-cased, joined by `\n`.
    let lowered: [UInt8]
    /// The offset in ``lowered`` where each line starts.
    let lineStarts: [Int]

    public init(_ text: String) {
        var lines = Self.lines(of: text)
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        var lowered: [UInt8] = []
        lowered.reserveCapacity(text.utf8.count)
        var starts: [Int] = []
        starts.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            if index > 0 { lowered.append(UInt8(ascii: "\n")) }
            starts.append(lowered.count)
            lowered.append(contentsOf: line.lowercased().utf8)
        }
        self.lowered = lowered
        lineStarts = starts
    }

    /// `text` split at `\n` bytes, a trailing `\r` removed from each line. (Splitting the UTF-8
    /// view, not Characters: `\r\n` is one Character in Swift.)
    public static func lines(of text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The number of lines.
    public var lineCount: Int { lines.count }

    /// The 1-based number of the first line after line `after` (1-based; 0 = from the start)
    /// that contains `query`, or nil.
    public func firstMatchingLine(_ query: SearchQuery, after: Int = 0) -> Int? {
        // A line never contains `\n`, so a query with one matches nothing.
        guard after < lines.count, !query.needle.isEmpty, !query.needle.contains(UInt8(ascii: "\n")) else { return nil }
        let from = lineStarts[max(after, 0)]
        let found: Int? = lowered.withUnsafeBufferPointer { haystack in
            query.needle.withUnsafeBufferPointer { needle in
                Self.find(needle, in: haystack, from: from)
            }
        }
        return found.map(line(containing:))
    }

    /// The offset of the first occurrence of `needle` in `haystack` at or after `from`:
    /// `memchr` for the first byte, `memcmp` for the rest.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = haystack.baseAddress, let needleBase = needle.baseAddress, let first = needle.first else { return nil }
        let count = haystack.count, length = needle.count
        var start = from
        while start + length <= count {
            guard let hit = memchr(base + start, Int32(first), count - length + 1 - start) else { return nil }
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if length == 1 || memcmp(base + offset + 1, needleBase + 1, length - 1) == 0 { return offset }
            start = offset + 1
        }
        return nil
    }

    /// The 1-based line that contains byte `offset` of ``lowered``.
    private func line(containing offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }
}

/// A search term (`q`): matched case-insensitively as a literal substring of a line.
public struct SearchQuery: Sendable, Equatable {
    /// The text as given.
    public let text: String
    /// Its lower-cased UTF-8 bytes.
    let needle: [UInt8]

    /// `nil` for a missing or blank `q` (API §5: 400).
    public init?(_ text: String?) {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
        self.text = text
        needle = Array(text.lowercased().utf8)
    }
}
