import Foundation
import Testing
import TrellisCore
@testable import TrellisAPI

@Suite("LogSlice: tail, head, offset and limit over a log's lines")
struct LogSliceTests {
    private func slice(_ text: String, tail: Int? = nil, head: Int? = nil, offset: Int? = nil, limit: Int = 1000) -> JSONValue {
        LogSlice.slice(Array(text.utf8), tail: tail, head: head, offset: offset, limit: limit)
    }

    private func object(_ content: String, lines: Int?, total: Int?, more: Bool = false) -> JSONValue {
        var object = JSONObject([("content", .string(content))])
        if let lines { object["lineCount"] = .integer(lines) }
        if let total { object["totalLines"] = .integer(total) }
        if more { object["hasMore"] = .bool(true) }
        return .object(object)
    }

    @Test("an empty log is only empty content")
    func empty() {
        #expect(slice("") == .object(JSONObject([("content", .string(""))])))
    }

    @Test("a final newline ends the last line; without one the last line still counts")
    func finalNewline() {
        #expect(slice("a\nb\n") == object("a\nb", lines: 2, total: 2))
        #expect(slice("a\nb") == object("a\nb", lines: 2, total: 2))
        #expect(slice("\n") == object("", lines: 1, total: 1))
        #expect(slice("a\n\nb\n") == object("a\n\nb", lines: 3, total: 3))
    }

    @Test("tail and head take the last or first lines, hasMore when lines are left out")
    func tailAndHead() {
        let log = "1\n2\n3\n4\n5\n"
        #expect(slice(log, tail: 2) == object("4\n5", lines: 2, total: 5, more: true))
        #expect(slice(log, tail: 9) == object("1\n2\n3\n4\n5", lines: 5, total: 5))
        #expect(slice(log, head: 2) == object("1\n2", lines: 2, total: 5, more: true))
        #expect(slice(log, tail: 1, head: 3) == object("5", lines: 1, total: 5, more: true))
        #expect(slice("1\n2\n3", tail: 1) == object("3", lines: 1, total: 3, more: true))
    }

    @Test("offset is 1-based with limit; past the end is empty")
    func offsetAndLimit() {
        let log = "1\n2\n3\n4\n5\n"
        #expect(slice(log, offset: 2, limit: 2) == object("2\n3", lines: 2, total: 5, more: true))
        #expect(slice(log, offset: 4, limit: 10) == object("4\n5", lines: 2, total: 5))
        #expect(slice(log, offset: 9) == object("", lines: nil, total: 5))
        #expect(slice(log, limit: 3) == object("1\n2\n3", lines: 3, total: 5, more: true))
    }

    @Test("invalid UTF-8 is replaced; CR stays in the content")
    func bytes() {
        let result = LogSlice.slice([0x61, 0xFF, 0x0A, 0x62, 0x0D, 0x0A], tail: nil, head: nil, offset: nil, limit: 1000)
        #expect(result == object("a\u{FFFD}\nb\r", lines: 2, total: 2))
    }

    @Test("read: a missing file is 404; an existing one is sliced")
    func read() throws {
        let path = NSTemporaryDirectory() + "logslice-" + UUID().uuidString
        #expect(throws: APIError.self) { try LogSlice.read(path, query: QueryParameters("")) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x\ny\nz\n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try LogSlice.read(path, query: QueryParameters("tail=1")) == object("z", lines: 1, total: 3, more: true))
    }
}
