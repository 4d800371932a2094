import Foundation
import Testing
import TrellisCore
import TrellisStore

/// A tiny HTTP server on 127.0.0.1 (a Python script on a free port), for http steps. GET
/// `/ok…` answers 200 "hello <path>", `/slow` does so after 30 s, any other path 404; POST echoes method, path, the
/// `X-Test` and `Content-Type` headers and the body as JSON. It exits by itself after 60 s.
final class EchoServer {
    let process: Process
    let port: Int

    private static let script = """
        import http.server, json, os, threading, time
        threading.Timer(60, lambda: os._exit(0)).start()
        class Handler(http.server.BaseHTTPRequestHandler):
            def reply(self, code, body):
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def do_GET(self):
                if self.path.startswith("/slow"):
                    time.sleep(30)
                self.reply(200 if self.path.startswith("/ok") else 404, "hello " + self.path)
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                self.reply(200, json.dumps({"method": self.command, "path": self.path, "x": self.headers.get("X-Test"),
                                            "type": self.headers.get("Content-Type"), "body": body}, sort_keys=True))
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    init(in home: EngineHarness) throws {
        try home.dir.write("server.py", Self.script)
        let portFile = home.path("server.port")
        _ = FileManager.default.createFile(atPath: portFile, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", home.path("server.py")]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: portFile))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let launched = process
        do {
            port = try home.waitFor("the HTTP server's port") {
                let text = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
                return text.hasSuffix("\n") ? Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
            }
        } catch {
            kill(launched.processIdentifier, SIGKILL)
            launched.waitUntilExit()
            throw error
        }
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// §7.3 http steps against a real server.
@Suite("Run engine: http steps (§7.3)")
struct EngineHTTPTests {
    @Test("GET 200 with silent prints only the body; query parameters are added")
    func getSilent() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        defer { server.stop() }
        try home.dag("get", """
            steps:
              - name: fetch
                type: http
                command: GET http://127.0.0.1:\(server.port)/ok
                with: {silent: true, query: {q: "${DAG_NAME}"}}
                output: BODY
              - {name: use, command: 'echo "got ${BODY}"'}
            """)
        let (status, run, output) = try home.start("get")
        #expect(status == 0, "\(output.stderr)")
        #expect(run.nodeStatuses == ["fetch": "succeeded", "use": "succeeded"])
        #expect(run.node(named: "fetch")?.exitCode == 0)
        #expect(home.stepLog(run, "fetch") == "hello /ok?q=get\n")
        #expect(home.stepLog(run, "use") == "got hello /ok?q=get\n")
    }

    @Test("GET without silent prints the status line, headers, a blank line and the body")
    func getVerbose() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        defer { server.stop() }
        try home.dag("verbose", """
            steps:
              - {name: fetch, type: http, command: "GET http://127.0.0.1:\(server.port)/ok"}
            """)
        let (status, run, _) = try home.start("verbose")
        #expect(status == 0)
        let log = home.stepLog(run, "fetch")
        #expect(log.hasPrefix("HTTP/1.1 200"))
        #expect(log.contains("Content-Length: 9\n"))
        #expect(log.hasSuffix("\n\nhello /ok\n"))
    }

    @Test("POST sends the substituted body and headers")
    func post() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        defer { server.stop() }
        try home.dag("post", """
            env:
              - TOKEN: secret-token
            steps:
              - name: send
                type: http
                command: POST http://127.0.0.1:\(server.port)/submit
                with:
                  headers: {X-Test: "Bearer ${TOKEN}", Content-Type: application/json}
                  body: '{"dag": "${DAG_NAME}", "run": "${DAG_RUN_ID}"}'
                  silent: true
            """)
        let (status, run, output) = try home.start("post")
        #expect(status == 0, "\(output.stderr)")
        let echoed = try #require(try JSONSerialization.jsonObject(with: Data(home.stepLog(run, "send").utf8)) as? [String: String])
        #expect(echoed["method"] == "POST")
        #expect(echoed["path"] == "/submit")
        #expect(echoed["x"] == "Bearer secret-token")
        #expect(echoed["type"] == "application/json")
        #expect(echoed["body"] == #"{"dag": "post", "run": "\#(run.run.id)"}"#)
    }

    @Test("a 404 (not 2xx) fails the step: exit 1, \"unexpected HTTP status 404\"; the response is still logged")
    func notFound() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        defer { server.stop() }
        try home.dag("missing", """
            steps:
              - {name: fetch, type: http, command: "GET http://127.0.0.1:\(server.port)/missing", with: {silent: true}}
            """)
        let (status, run, _) = try home.start("missing")
        #expect(status == 1)
        let node = try #require(run.node(named: "fetch"))
        #expect(node.status == .failed)
        #expect(node.exitCode == 1)
        #expect(node.error == "unexpected HTTP status 404")
        let log = home.stepLog(run, "fetch")
        #expect(log.hasPrefix("HTTP/1.1 404"), "silent only applies to an expected status: \(log)")
    }

    @Test("expected_status mismatch fails the step even for a 200; a listed status passes")
    func expectedStatus() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        defer { server.stop() }
        try home.dag("expect", """
            steps:
              - {name: strict, depends: [], type: http, command: "GET http://127.0.0.1:\(server.port)/ok", with: {expected_status: 201}}
              - {name: allowed, depends: [], type: http, command: "GET http://127.0.0.1:\(server.port)/gone", with: {expected_status: [200, 404], silent: true}}
            """)
        let (status, run, _) = try home.start("expect")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["strict": "failed", "allowed": "succeeded"])
        #expect(run.node(named: "strict")?.error == "unexpected HTTP status 200")
        #expect(home.stepLog(run, "allowed") == "hello /gone\n")
    }

    @Test("json: true prints {status_code, headers, body}, the body parsed when it is JSON")
    func jsonOutput() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        defer { server.stop() }
        try home.dag("jsonout", """
            steps:
              - name: send
                type: http
                command: POST http://127.0.0.1:\(server.port)/j
                with: {json: true, body: "payload"}
            """)
        let (status, run, output) = try home.start("jsonout")
        #expect(status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(home.stepLog(run, "send").utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["status_code", "headers", "body"])
        #expect((object["status_code"] as? NSNumber)?.intValue == 200)
        #expect((object["headers"] as? [String: String])?["Content-Type"] == "text/plain")
        let body = try #require(object["body"] as? [String: Any?])
        #expect(body["method"] as? String == "POST")
        #expect(body["body"] as? String == "payload")
    }

    @Test("a request timeout (with.timeout) fails the step")
    func requestTimeout() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        defer { server.stop() }
        try home.dag("slowhttp", """
            steps:
              - {name: fetch, type: http, command: "GET http://127.0.0.1:\(server.port)/slow", with: {timeout: 1}}
            """)
        let (status, run, _) = try home.start("slowhttp")
        #expect(status == 1)
        let node = try #require(run.node(named: "fetch"))
        // The step's own times, far from the 30 s answer whatever the load.
        let took = try #require(node.finishedAt).timeIntervalSince(try #require(node.startedAt))
        #expect(took < 20, "ended by the 1 s timeout, not by the 30 s answer: \(took) s")
        #expect(node.status == .failed)
        #expect(node.exitCode == 1)
        #expect(node.error?.contains("timed out") == true, "\(node.error ?? "")")
    }

    @Test("connection refused fails the step with exit 1 and an error naming the cause")
    func connectionRefused() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let server = try EchoServer(in: home)
        let port = server.port
        server.stop()
        try home.dag("refused", """
            steps:
              - {name: fetch, type: http, command: "GET http://127.0.0.1:\(port)/ok", with: {timeout: 5}}
              - {name: after, command: "echo after"}
            """)
        let (status, run, _) = try home.start("refused")
        #expect(status == 1)
        let node = try #require(run.node(named: "fetch"))
        #expect(node.status == .failed)
        #expect(node.exitCode == 1)
        let error = try #require(node.error)
        #expect(error.lowercased().contains("connect"), "names the cause: \(error)")
        #expect(run.nodeStatuses == ["fetch": "failed", "after": "aborted"])
    }
}
