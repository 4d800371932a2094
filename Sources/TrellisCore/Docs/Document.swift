/// A Markdown document under `docs_dir` (API §5): its id, front matter and searchable text.
public struct Document: Sendable {
    /// The path relative to `docs_dir` without `.md` (`runbooks/deploy-guide`).
    public var id: String
    /// The front matter `title`, else the last segment of the id.
    public var title: String
    /// The front matter `description`, else `""`.
    public var description: String
    /// The whole file, front matter included (line numbers are the file's).
    public var text: SearchableText

    public init(id: String, text: String) {
        self.id = id
        let front = FrontMatter.parse(text)
        title = front.title ?? String(id.split(separator: "/").last ?? Substring(id))
        description = front.description ?? ""
        self.text = SearchableText(text)
    }
}

/// The documents of `docs_dir`, current as of the call.
public protocol DocumentLibrary: Sendable {
    /// Every document, sorted by id.
    func documents() -> [Document]
}
