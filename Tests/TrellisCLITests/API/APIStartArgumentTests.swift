import Foundation
import Testing
import TrellisCore

/// Start-body values that reach the detached run agent's command line (found by the body
/// fuzz): values starting with "-" are values, not options; values too long for one argument
/// and fields of the wrong type are 400s, never 500s.
@Suite("REST API: start values handed to the run agent")
struct APIStartArgumentTests {
    static let echo = "steps:\n  - {name: a, command: 'echo \"[$1]\"', output: FIRST}\n"

    private func post(_ server: ServerHarness, _ path: String, _ body: String) throws -> ServerHarness.Reply {
        try RawHTTP.request(port: server.port, "POST", "/api/v1" + path, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
    }

    @Test("params, labels, run IDs and DAG names that start with a dash start runs; retry of such a run works")
    func dashValues() throws {
        let server = try ServerHarness(dags: ["echo": Self.echo])
        defer { server.stop() }
        let cases = [
            #"{"params":"-x","dagRunId":"r-params"}"#, #"{"params":"--help","dagRunId":"r-help"}"#,
            #"{"labels":["--help","-x"],"dagRunId":"r-labels"}"#, #"{"dagRunId":"-r1"}"#,
        ]
        for body in cases {
            let reply = try post(server, "/dags/echo/start-sync", body.dropLast() + #","timeout":60}"#)
            #expect(reply.status == 200, "\(body): \(reply.text)")
            #expect(reply.json?["dagRun"]?["statusLabel"] == "succeeded", "\(body): \(reply.text)")
        }
        let first = try RawHTTP.request(port: server.port, "GET", "/api/v1/dag-runs/echo/r-params/outputs")
        #expect(first.json?["outputs"]?["first"] == "[-x]", "\(first.text)")

        let renamed = try post(server, "/dags/echo/start-sync", #"{"dagName":"-n","dagRunId":"-r2","timeout":60}"#)
        #expect(renamed.json?["dagRun"]?["name"] == "-n", "\(renamed.text)")
        let retry = try post(server, "/dag-runs/-n/-r2/retry", #"{"stepName":"a"}"#)
        #expect(retry.status == 200, "\(retry.text)")
    }

    @Test("params or labels longer than one command-line argument, and fields of the wrong type, are 400s")
    func refusedValues() throws {
        let server = try ServerHarness(dags: ["echo": Self.echo])
        defer { server.stop() }
        let longParams = JSONValue.string("A=" + String(repeating: "p", count: 200 * 1024)).serialized()
        let longLabels = JSONValue.array([.string(String(repeating: "l", count: 70 * 1024))]).serialized()
        let done = try post(server, "/dags/echo/start-sync", #"{"dagRunId":"done","timeout":60}"#)
        try #require(done.status == 200, "\(done.text)")
        let cases: [(String, String, String)] = [
            ("/dags/echo/start", #"{"params":\#(longParams)}"#, "params must be at most 65536 bytes, got 204802"),
            ("/dags/echo/enqueue", #"{"params":\#(longParams)}"#, "params must be at most 65536 bytes, got 204802"),
            ("/dags/echo/start", #"{"labels":\#(longLabels)}"#, "labels must be at most 65536 bytes together, got 71680"),
            ("/dags/echo/start", #"{"dagName":5}"#, "dagName must be a string"),
            ("/dags/echo/enqueue", #"{"dagName":["x"]}"#, "dagName must be a string"),
            ("/dag-runs", #"{"spec":"steps:\n  - command: 'true'\n","name":true}"#, "name must be a string"),
            ("/dag-runs/echo/done/retry", #"{"dagRunId":5}"#, "dagRunId must be a string"),
        ]
        for (path, body, message) in cases {
            let reply = try post(server, path, body)
            #expect(reply.status == 400 && reply.json?["message"]?.stringValue == message, "\(path) \(body.prefix(60)): \(reply.status) \(reply.text.prefix(200))")
        }
    }
}
