import Foundation
import Testing
@testable import TrellisEngine

@Suite("http steps: the response header block")
struct HTTPStepClientTests {
    @Test("the last status line gives the reason; same-named headers are joined under the first spelling")
    func headerBlock() {
        let block = "HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\n\r\n"
            + "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nX-Empty:\r\nbroken line\r\n\r\n"
        let parsed = HTTPStepClient.parseHeaderBlock(block)
        #expect(parsed.reason == "Not Found")
        #expect(parsed.headers.map(\.name) == ["Location", "Content-Type", "Set-Cookie", "X-Empty"])
        #expect(parsed.headers.first { $0.name == "Set-Cookie" }?.value == "a=1, b=2")
        #expect(parsed.headers.first { $0.name == "X-Empty" }?.value == "")
    }

    @Test("a status line without a reason (HTTP/2) has none; the standard phrase fills in")
    func noReason() {
        let parsed = HTTPStepClient.parseHeaderBlock("HTTP/2 200\r\ncontent-length: 2\r\n\r\n")
        #expect(parsed.reason == nil)
        #expect(parsed.headers.map(\.name) == ["content-length"])
        #expect(HTTPStepClient.reasonPhrase(200) == "OK")
        #expect(HTTPStepClient.reasonPhrase(299) == "")
    }

    @Test("a URL nobody listens on fails with the cause, not a crash")
    func refused() async throws {
        let request = HTTPStepClient.Request(method: "GET", url: "http://127.0.0.1:9/none", headers: [("X-A", "1")], body: nil)
        await #expect(throws: HTTPStepError.self) { try await HTTPStepClient.perform(request, timeoutSec: 5) }
    }
}
