/// The forms inside `${…}`: names, JSON paths, slices, `:-` defaults and `#` lengths.
extension SubstitutionParser {
    /// The token for the content of `${content}`, or `nil` for any other shape.
    static func bracedToken(_ content: ArraySlice<Unicode.Scalar>, original: String, full isFull: Bool) -> SubstitutionToken? {
        if content.first == "#" {
            let name = content.dropFirst()
            guard isName(name) || isPositional(name) else { return nil }
            return .length(name: String(String.UnicodeScalarView(name)), original: original)
        }
        guard let nameEnd = nameEnd(in: content) else { return nil }
        let name = String(String.UnicodeScalarView(content[..<nameEnd]))
        let rest = content[nameEnd...]
        var reference = VariableReference(name: name, original: original)
        guard let first = rest.first else { return .reference(reference) }

        if first == "." || first == "[" {
            guard isName(content[..<nameEnd]), let (path, pathEnd) = path(in: rest) else { return nil }
            reference.path = path
            if pathEnd < rest.endIndex {
                let sliceText = rest[(pathEnd + 1)...]
                guard !sliceText.isEmpty, let slice = ValueSlice.parse(sliceText) else { return nil }
                reference.slice = slice
            }
            return .reference(reference)
        }
        guard first == ":" else { return nil }
        let afterColon = rest.dropFirst()
        if afterColon.first == "-" {
            let fallback = parse(afterColon.dropFirst(), full: isFull)
            return .defaultValue(name: name, fallback: fallback, original: original)
        }
        guard !afterColon.isEmpty, let slice = ValueSlice.parse(afterColon) else { return nil }
        reference.slice = slice
        return .reference(reference)
    }

    /// The end of a leading identifier or positional number in `content`.
    private static func nameEnd(in content: ArraySlice<Unicode.Scalar>) -> Int? {
        guard let first = content.first else { return nil }
        let isPart: (Unicode.Scalar) -> Bool
        if isNameStart(first) {
            isPart = isNameCharacter
        } else if isNonZeroDigit(first) {
            isPart = isDigit
        } else {
            return nil
        }
        return content.dropFirst().firstIndex { !isPart($0) } ?? content.endIndex
    }

    /// A JSON path: `.key`, `[3]`, `[-1]`, `["any key"]`, `.[0]`, in any sequence. Returns the
    /// segments and the index where it ends: the end of `scalars`, or a `:` starting a slice.
    private static func path(in scalars: ArraySlice<Unicode.Scalar>) -> ([ReferencePathSegment], Int)? {
        var segments: [ReferencePathSegment] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            switch scalars[index] {
            case ":":
                return segments.isEmpty ? nil : (segments, index)
            case ".":
                index += 1
                if index < scalars.endIndex, scalars[index] == "[" { continue }
                let end = scalars[index...].firstIndex { $0 == "." || $0 == "[" || $0 == ":" } ?? scalars.endIndex
                guard end > index else { return nil }
                segments.append(.key(String(String.UnicodeScalarView(scalars[index..<end]))))
                index = end
            case "[":
                guard let (segment, end) = bracketSegment(in: scalars[(index + 1)...]) else { return nil }
                segments.append(segment)
                index = end
            default:
                return nil
            }
        }
        return segments.isEmpty ? nil : (segments, index)
    }

    /// `3]`, `-1]` or `"key"]` after a `[`; returns the segment and the index after `]`.
    private static func bracketSegment(in scalars: ArraySlice<Unicode.Scalar>) -> (ReferencePathSegment, Int)? {
        if scalars.first == "\"" {
            var index = scalars.startIndex + 1
            while index < scalars.endIndex, scalars[index] != "\"" {
                index += scalars[index] == "\\" ? 2 : 1
            }
            guard index + 1 < scalars.endIndex, scalars[index + 1] == "]" else { return nil }
            let quoted = String(String.UnicodeScalarView(scalars[scalars.startIndex...index]))
            guard case .string(let key)? = try? JSONValue.parse(quoted) else { return nil }
            return (.key(key), index + 2)
        }
        guard let close = scalars.firstIndex(of: "]"),
              let number = Int(String(String.UnicodeScalarView(scalars[..<close]))) else { return nil }
        return (.index(number), close + 1)
    }

    static func isName(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = scalars.first, isNameStart(first) else { return false }
        return scalars.dropFirst().allSatisfy(isNameCharacter)
    }

    /// `1`, `2`, … `10`, …: a positional parameter (no leading zero, not `0`).
    static func isPositional(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = scalars.first, isNonZeroDigit(first) else { return false }
        return scalars.allSatisfy(isDigit)
    }

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || isDigit(scalar)
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    static func isNonZeroDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("1"..."9").contains(scalar)
    }
}
