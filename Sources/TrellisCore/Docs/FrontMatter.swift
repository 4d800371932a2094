/// The optional YAML front matter of a Markdown document: a first line `---`, YAML, and a
/// closing `---` (or `...`) line. Only `title` and `description` are read; front matter that is
/// not closed or not a YAML map is ignored.
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    public var description: String?

    public init(title: String? = nil, description: String? = nil) {
        self.title = title
        self.description = description
    }

    /// The front matter of `text` (empty when there is none).
    public static func parse(_ text: String) -> FrontMatter {
        var lines = SearchableText.lines(of: text).lazy.map { Substring($0) }.makeIterator()
        guard let first = lines.next(), trimmed(first) == "---" else { return FrontMatter() }
        var body: [Substring] = []
        var closed = false
        while let line = lines.next() {
            if trimmed(line) == "---" || trimmed(line) == "..." {
                closed = true
                break
            }
            body.append(line)
        }
        guard closed, !body.isEmpty else { return FrontMatter() }
        guard case .success(let root?) = YAMLDocumentParser(limits: .init(maxBytes: 64 << 10, maxDepth: 16, maxNodes: 1_000))
            .parse(text: body.joined(separator: "\n")),
            let pairs = root.pairs else { return FrontMatter() }
        var result = FrontMatter()
        for pair in pairs {
            guard let scalar = pair.value.scalar, !pair.value.isNull else { continue }
            let value = scalar.text.trimmingWhitespace()
            if pair.key == "title", !value.isEmpty { result.title = value }
            if pair.key == "description" { result.description = value }
        }
        return result
    }

    private static func trimmed(_ line: Substring) -> Substring {
        var line = line
        while let last = line.last, last == "\r" || last == " " || last == "\t" { line.removeLast() }
        return line
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
