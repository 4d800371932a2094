import Testing
import TrellisCore

/// Doc ids (API §5.5) and front matter.
@Suite("Docs: ids and front matter")
struct DocumentTests {
    @Test("valid ids", arguments: ["a", "runbooks/deploy-guide", "x_1/Y.2/z file-3", "_hidden-not", "9"])
    func valid(id: String) {
        #expect(DocumentID.problem(id) == nil)
    }

    @Test("invalid ids", arguments: [
        "", "/etc/passwd", "a//b", "a/", "../x", "a/../b", "..", ".", "a/./b", ".hidden", "a/.git/config", "-x", " x",
        "a\u{0}b", "a\\b", "a:b", "é", String(repeating: "a", count: 257),
    ])
    func invalid(id: String) {
        #expect(DocumentID.problem(id) != nil, "\(id)")
    }

    @Test("the id of a relative path: .md files only, without the extension")
    func idOfPath() {
        #expect(DocumentID.id(ofRelativePath: "runbooks/deploy.md") == "runbooks/deploy")
        #expect(DocumentID.id(ofRelativePath: "readme.txt") == nil)
        #expect(DocumentID.id(ofRelativePath: ".md") == nil)
        #expect(DocumentID.id(ofRelativePath: "a b/c:d.md") == nil)
    }

    @Test("front matter: title and description; defaults; not closed or not a map → ignored")
    func frontMatter() {
        #expect(FrontMatter.parse("---\ntitle: Deploy\ndescription: \"How to ship\"\n---\n# Body\n")
            == FrontMatter(title: "Deploy", description: "How to ship"))
        #expect(FrontMatter.parse("---\r\ntitle: Windows\r\n---\r\nbody") == FrontMatter(title: "Windows"))
        #expect(FrontMatter.parse("# No front matter\ntitle: no\n") == FrontMatter())
        #expect(FrontMatter.parse("---\ntitle: never closed\n") == FrontMatter())
        #expect(FrontMatter.parse("---\n- a list\n---\n") == FrontMatter())
        #expect(FrontMatter.parse("---\ntitle: [unclosed\n---\n") == FrontMatter())
        #expect(FrontMatter.parse("---\ntitle:\ndescription: ~\nother: 1\n---\n") == FrontMatter())
        #expect(FrontMatter.parse("---\ntitle: Dots\n...\nbody") == FrontMatter(title: "Dots"))
    }

    @Test("a document: title defaults to the last id segment, description to \"\"")
    func document() {
        let plain = Document(id: "runbooks/rerun-failed", text: "# Rerun\n")
        #expect(plain.title == "rerun-failed")
        #expect(plain.description == "")
        let titled = Document(id: "a", text: "---\ntitle: A title\ndescription: About A\n---\ntext\n")
        #expect(titled.title == "A title")
        #expect(titled.description == "About A")
        #expect(titled.text.lineCount == 5)
    }
}
