/// The rules for a doc id given by a client (API §5.5): `/`-separated segments, each matching
/// `[A-Za-z0-9_][A-Za-z0-9_. -]*`, no `..`, no empty segment, at most 256 characters. A valid id
/// can only name a file below `docs_dir`.
public enum DocumentID {
    /// The longest id accepted.
    public static let maxLength = 256

    /// Why `id` is not a valid doc id, or nil when it is.
    public static func problem(_ id: String) -> String? {
        if id.isEmpty { return "the path is empty" }
        if id.utf8.count > maxLength { return "the path is longer than \(maxLength) characters" }
        for segment in id.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the path has an empty segment" }
            if segment == ".." || segment == "." { return "the path must not contain \"\(segment)\"" }
            if !isValidSegment(segment) {
                return "segment \"\(printable(segment))\" must match [A-Za-z0-9_][A-Za-z0-9_. -]*"
            }
        }
        return nil
    }

    /// Whether one path segment matches `[A-Za-z0-9_][A-Za-z0-9_. -]*`.
    public static func isValidSegment(_ segment: Substring) -> Bool {
        guard let first = segment.utf8.first, isWordByte(first) else { return false }
        return segment.utf8.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") }
    }

    /// The id of a Markdown file at `relativePath` (`a/b.md` → `a/b`), or nil when it is not a
    /// `.md` file or its id would not be valid (such files cannot be addressed, so they are not
    /// listed either).
    public static func id(ofRelativePath relativePath: String) -> String? {
        guard relativePath.hasSuffix(".md"), relativePath.count > 3 else { return nil }
        let id = String(relativePath.dropLast(3))
        return problem(id) == nil ? id : nil
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// A segment for an error message: control characters escaped, at most 64 characters.
    private static func printable(_ segment: Substring) -> String {
        let escaped = segment.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? $0.escaped(asASCII: true) : String($0) }
        let text = escaped.joined()
        return text.count > 64 ? String(text.prefix(64)) + "…" : text
    }
}
