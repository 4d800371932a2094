import Foundation
import Testing
import TrellisCore

/// Every path and method of the served OpenAPI document, walked with auth on (API §2): without
/// or with wrong credentials → 401 with the challenge and an empty body (except the public
/// ones); with the right ones → never 401, never 5xx. The credentials never reach the server's
/// output or any file of the home.
@Suite("REST API: auth walk over the OpenAPI document", .serialized)
struct APIAuthWalkTests {
    static let hello = "steps:\n  - {name: greet, command: 'echo hello', output: GREETING}\n"

    struct Mode {
        var environment: [String: String]
        var good: String
        var wrong: [String]
        var challenge: String
        var secrets: [String]
        var publicMetrics: Bool
    }

    static let password = "pw-Zq81-secret:colon"
    static let token = "tok-7f3a9c2e5b1d4f60a8c9e7d2"
    static let basic = Mode(
        environment: ["TRELLIS_AUTH_BASIC_USERNAME": "walker", "TRELLIS_AUTH_BASIC_PASSWORD": password],
        good: "Basic " + Data("walker:\(password)".utf8).base64EncodedString(),
        wrong: ["Basic " + Data("walker:nope".utf8).base64EncodedString(), "Basic " + Data("other:\(password)".utf8).base64EncodedString(),
                "Basic !!!", "Bearer \(password)", "basic", "Digest x"],
        challenge: "Basic realm=\"restricted\"",
        secrets: [password, Data("walker:\(password)".utf8).base64EncodedString()],
        publicMetrics: false)
    static let bearer = Mode(
        environment: ["TRELLIS_AUTH_TOKEN": token, "TRELLIS_METRICS": "public"],
        good: "Bearer " + token,
        wrong: ["Bearer " + token.dropLast(), "Bearer " + token + "x", "Bearer", "Basic " + Data("x:\(token)".utf8).base64EncodedString(),
                "Token " + token],
        challenge: "Bearer realm=\"restricted\"",
        secrets: [token],
        publicMetrics: true)

    @Test("basic auth: every operation of /openapi.json", .timeLimit(.minutes(5)))
    func basicWalk() throws {
        let counted = try walk(Self.basic)
        #expect(counted > 100)
    }

    @Test("token auth with public metrics: every operation of /openapi.json", .timeLimit(.minutes(5)))
    func tokenWalk() throws {
        let counted = try walk(Self.bearer)
        #expect(counted > 100)
    }

    /// Walks every operation; returns the number of requests sent.
    func walk(_ mode: Mode) throws -> Int {
        let server = try ServerHarness(environment: mode.environment, dags: ["hello": Self.hello, "other": Self.hello])
        defer { server.stop() }
        let mount = "/api/v1"
        var sent = 0
        func send(_ method: String, _ path: String, authorization: String?, body: Bool) throws -> ServerHarness.Reply {
            sent += 1
            var headers: [String: String] = [:]
            if let authorization { headers["Authorization"] = authorization }
            if body { headers["Content-Type"] = "application/json" }
            return try RawHTTP.request(port: server.port, method, mount + path, headers: headers, body: body ? Data("{}".utf8) : Data())
        }
        let document = try send("GET", "/openapi.json", authorization: mode.good, body: false)
        #expect(document.status == 200)
        let operations = try OpenAPIOperation.all(in: try #require(document.json))
        #expect(operations.count > 30)
        let started = try send("POST", "/dags/hello/start", authorization: mode.good, body: true)
        let runID = try #require(started.json?["dagRunId"]?.stringValue, "\(started.text)")
        let values = ["fileName": "hello", "name": "hello", "dagRunId": runID, "stepName": "greet"]
        // Destructive operations go last so that the others find the DAG and the run.
        let ordered = operations.filter { $0.method != "DELETE" && !$0.template.hasSuffix("/rename") }
            + operations.filter { $0.method == "DELETE" || $0.template.hasSuffix("/rename") }
        for operation in ordered {
            let path = operation.path(values)
            let isPublic = operation.template == "/health" || (operation.template == "/metrics" && mode.publicMetrics)
            for authorization in [nil] + mode.wrong {
                let reply = try send(operation.method, path, authorization: authorization, body: operation.hasBody)
                if isPublic {
                    #expect(reply.status == 200, "\(operation) is public; \(authorization ?? "no credentials")")
                } else {
                    #expect(reply.status == 401, "\(operation) with \(authorization ?? "no credentials"): \(reply.status) \(reply.text)")
                    #expect(reply.headers["www-authenticate"] == mode.challenge, "\(operation)")
                    #expect(reply.body.isEmpty, "\(operation): \(reply.text)")
                }
            }
            let reply = try send(operation.method, path, authorization: mode.good, body: operation.hasBody)
            #expect(reply.status != 401 && reply.status < 500, "\(operation) with the right credentials: \(reply.status) \(reply.text)")
            if reply.status >= 400 {
                #expect(reply.json?["code"]?.stringValue != nil && reply.json?["message"]?.stringValue != nil,
                        "\(operation): an error is a JSON object: \(reply.text)")
            }
        }
        // The run started above finishes; its files are written by then.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let run = try RawHTTP.request(port: server.port, "GET", mount + "/dag-runs/hello/" + runID, headers: ["Authorization": mode.good])
            if run.json?["dagRunDetails"]?["statusLabel"]?.stringValue != "running" { break }
            usleep(50_000)
        }
        print("auth walk (\(mode.challenge.split(separator: " ")[0])): \(sent) requests over \(operations.count) operations")
        let leaks = OpenAPIOperation.files(under: server.home.home, containing: mode.secrets)
        #expect(leaks.isEmpty, "credentials found in \(leaks)")
        return sent
    }
}
