import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `idle_timeout_sec` (`TRELLIS_IDLE_TIMEOUT_SEC`): the server closes connections that stay idle,
/// including ones whose request headers never finish, and leaves busy ones alone.
@Suite("REST API: idle connections")
struct APIIdleTimeoutTests {
    @Test("with a 1 s idle timeout, a silent connection and a half-sent request are closed; a keep-alive client is not",
          .timeLimit(.minutes(2)))
    func idleConnectionsAreClosed() throws {
        let server = try ServerHarness(environment: ["TRELLIS_IDLE_TIMEOUT_SEC": "1"])
        defer { server.stop() }
        let silent = try SlowSocket(port: server.port)
        let half = try SlowSocket(port: server.port)
        try half.send(Array("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8))
        let busy = try SlowSocket(port: server.port)
        let request = Array("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        // Three times the timeout on one connection, a request every 0.3 s: each one is answered.
        for index in 0..<10 {
            try busy.send(request)
            let reply = try RawHTTP.parse(try busy.receiveResponse())
            #expect(reply.status == 200, "request \(index) on the kept-alive connection")
            usleep(300_000)
        }
        #expect(silent.isClosedByPeer(), "a connection that sent nothing is closed")
        #expect(half.isClosedByPeer(), "a connection whose headers never finished is closed")
        try busy.send(request)
        #expect(try RawHTTP.parse(try busy.receiveResponse()).status == 200)
        #expect(try RawHTTP.request(port: server.port, "GET", "/api/v1/health").status == 200, "new clients are served")
    }
}

extension SlowSocket {
    /// Reads one response of a kept-alive connection: the head, then `Content-Length` bytes.
    func receiveResponse() throws -> Data {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = received.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
                let length = head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count - end.upperBound >= length { return received }
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw RawHTTP.Failure(description: n == 0 ? "closed by the server" : "recv: errno \(errno)") }
            received.append(contentsOf: buffer[0..<n])
        }
    }

    /// Whether the server has closed the connection (end of file, or a reset), without waiting.
    func isClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }
}
