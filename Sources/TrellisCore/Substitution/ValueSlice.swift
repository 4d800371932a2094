/// `${VAR:offset:length}` with bash semantics, counted in Unicode scalars (as bash in a UTF-8
/// locale and Dagu do).
///
/// A negative offset counts from the end (write `${VAR: -2}` or `${VAR:(-2)}`; `${VAR:-2}` is the
/// default form). A negative length ends that many scalars before the end. Out-of-range offsets
/// give the empty string; where bash reports "substring expression < 0" (a negative length that
/// ends before the offset) the result is the empty string too.
struct ValueSlice: Sendable, Hashable {
    var offset: Int
    var length: Int?

    /// The slice of `text`.
    func apply(to text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        let start = offset < 0 ? count + offset : offset
        guard start >= 0, start <= count else { return "" }
        let end: Int
        switch length {
        case nil: end = count
        case let length? where length >= 0: end = start + min(length, count - start)
        case let length?: end = count + length
        }
        guard end > start else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    /// Parses what follows the first `:` of `${VAR:…}`: `offset` or `offset:length`, each an
    /// optionally signed integer with optional spaces or parentheses; empty counts as 0 (bash).
    static func parse(_ scalars: ArraySlice<Unicode.Scalar>) -> ValueSlice? {
        let parts = scalars.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let offset = integer(parts[0]) else { return nil }
        guard parts.count == 2 else { return ValueSlice(offset: offset, length: nil) }
        guard let length = integer(parts[1]) else { return nil }
        return ValueSlice(offset: offset, length: length)
    }

    private static func integer(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        var text = String(String.UnicodeScalarView(scalars)).trimmingSpaces()
        if text.hasPrefix("("), text.hasSuffix(")") {
            text = String(text.dropFirst().dropLast()).trimmingSpaces()
        }
        return text.isEmpty ? 0 : Int(text)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
