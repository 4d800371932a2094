import Foundation
import Testing
@testable import TrellisAPI
import TrellisCore

/// The OpenAPI document of API §3.2.
@Suite("OpenAPI document (§3.2)")
struct OpenAPIDocumentTests {
    static let document = OpenAPIDocument.json(serverURL: "/api/v1")

    /// Every [v1] path of API §3–§8 with its methods.
    static let expectedOperations: [String: Set<String>] = [
        "/health": ["get"],
        "/openapi.json": ["get"],
        "/metrics": ["get"],
        "/dags": ["get", "post"],
        "/dags/validate": ["post"],
        "/dags/labels": ["get"],
        "/dags/tags": ["get"],
        "/dags/{fileName}": ["get", "delete"],
        "/dags/{fileName}/spec": ["get", "put"],
        "/dags/{fileName}/start": ["post"],
        "/dags/{fileName}/start-sync": ["post"],
        "/dags/{fileName}/enqueue": ["post"],
        "/dags/{fileName}/suspend": ["post"],
        "/dags/{fileName}/rename": ["post"],
        "/dags/{fileName}/stop-all": ["post"],
        "/dags/{fileName}/dag-runs": ["get"],
        "/dags/{fileName}/dag-runs/{dagRunId}": ["get"],
        "/dags/search": ["get"],
        "/search/dags": ["get"],
        "/search/dags/{fileName}/matches": ["get"],
        "/search/docs": ["get"],
        "/search/docs/matches": ["get"],
        "/dag-runs": ["get", "post"],
        "/dag-runs/enqueue": ["post"],
        "/dag-runs/{name}": ["get"],
        "/dag-runs/{name}/{dagRunId}": ["get"],
        "/dag-runs/{name}/{dagRunId}/stop": ["post"],
        "/dag-runs/{name}/{dagRunId}/retry": ["post"],
        "/dag-runs/{name}/{dagRunId}/dequeue": ["get", "post"],
        "/dag-runs/{name}/{dagRunId}/log": ["get"],
        "/dag-runs/{name}/{dagRunId}/steps/{stepName}/log": ["get"],
        "/dag-runs/{name}/{dagRunId}/steps/{stepName}/status": ["patch"],
        "/dag-runs/{name}/{dagRunId}/outputs": ["get"],
        "/dag-runs/{name}/{dagRunId}/sub-dag-runs": ["get"],
        "/queues": ["get"],
        "/queues/{name}": ["get"],
        "/queues/{name}/items": ["get"],
        "/event-logs": ["get"],
    ]

    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// (path, method, operation) for every operation.
    static var operations: [(String, String, JSONObject)] {
        (document["paths"]?.objectValue?.entries ?? []).flatMap { path, item in
            (item.objectValue?.entries ?? []).compactMap { method, operation in
                httpMethods.contains(method) ? operation.objectValue.map { (path, method, $0) } : nil
            }
        }
    }

    @Test("valid JSON with the required top-level fields")
    func topLevel() throws {
        let text = Self.document.serialized()
        let parsed = try JSONValue.parse(text)
        #expect(parsed == Self.document)
        #expect(parsed["openapi"] == "3.0.3")
        #expect(parsed["info"]?["title"] == "Trellis")
        #expect(parsed["info"]?["version"]?.stringValue?.isEmpty == false)
        #expect(parsed["paths"]?.objectValue?.isEmpty == false)
        #expect(parsed["components"]?["schemas"]?.objectValue?.isEmpty == false)
        #expect(parsed["components"]?["securitySchemes"]?["basicAuth"] == ["type": "http", "scheme": "basic", "description": "auth.mode basic (§2)."])
        #expect(parsed["components"]?["securitySchemes"]?["apiToken"]?["type"] == "http")
        #expect(parsed["components"]?["securitySchemes"]?["apiToken"]?["scheme"] == "bearer")
        #expect(parsed["security"] == [["basicAuth": []], ["apiToken": []]])
    }

    /// With `TRELLIS_OPENAPI_OUT=<path>` set, writes the document there (for schemathesis runs
    /// against a server that does not serve /openapi.json yet).
    @Test("writes the document to TRELLIS_OPENAPI_OUT when set")
    func export() throws {
        guard let path = ProcessInfo.processInfo.environment["TRELLIS_OPENAPI_OUT"], !path.isEmpty else { return }
        try Data(Self.document.serialized().utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("servers is exactly one entry: the given mount path", arguments: ["/api/v1", "/trellis/api/v1", "/trellis/rest"])
    func servers(mount: String) {
        #expect(OpenAPIDocument.json(serverURL: mount)["servers"] == [["url": .string(mount)]])
    }

    @Test("every [v1] path of API §3–§8 is present with exactly its methods")
    func paths() throws {
        let paths = try #require(Self.document["paths"]?.objectValue)
        var actual: [String: Set<String>] = [:]
        for (path, item) in paths.entries {
            actual[path] = Set((item.objectValue?.keys ?? []).filter(Self.httpMethods.contains))
        }
        for (path, methods) in Self.expectedOperations.sorted(by: { $0.key < $1.key }) {
            #expect(actual[path] == methods, "\(path)")
        }
        #expect(Set(actual.keys) == Set(Self.expectedOperations.keys))
        #expect(Self.operations.count == 43)
    }

    @Test("every $ref resolves")
    func refsResolve() {
        var refs: [String] = []
        Self.collectRefs(Self.document, into: &refs)
        #expect(refs.count > 100)
        for ref in Set(refs).sorted() {
            #expect(Self.resolve(ref) != nil, "unresolved \(ref)")
        }
    }

    @Test("every schema in components is referenced somewhere")
    func noUnusedSchemas() throws {
        var refs: [String] = []
        Self.collectRefs(Self.document, into: &refs)
        let used = Set(refs)
        for name in try #require(Self.document["components"]?["schemas"]?.objectValue).keys {
            #expect(used.contains("#/components/schemas/\(name)"), "\(name) is unused")
        }
    }

    @Test("operations: unique IDs, a 2xx, 400 and 401 except /health, which is public")
    func responses() throws {
        var ids = Set<String>()
        for (path, method, operation) in Self.operations {
            let label = "\(method.uppercased()) \(path)"
            let id = try #require(operation["operationId"]?.stringValue, "\(label)")
            #expect(ids.insert(id).inserted, "duplicate operationId \(id)")
            let statuses = Set(operation["responses"]?.objectValue?.keys ?? [])
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(label) has no 2xx")
            #expect(statuses.contains("413"), "\(label)")
            if path == "/health" {
                #expect(operation["security"] == [])
                #expect(!statuses.contains("401"))
            } else {
                #expect(operation["security"] == nil, "\(label) overrides the global security")
                #expect(statuses.contains("400"), "\(label) has no 400")
                #expect(statuses.contains("401"), "\(label) has no 401")
                #expect(statuses.contains("500"), "\(label) has no 500")
            }
            // Unknown names list nothing there (`[]`), they are not 404.
            if path.contains("{"), path != "/dag-runs/{name}", path != "/queues/{name}/items" {
                #expect(statuses.contains("404"), "\(label) has no 404")
            }
        }
    }

    @Test("every path template parameter is declared as a required path parameter, and no other")
    func pathParameters() throws {
        for (path, method, operation) in Self.operations {
            let template = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            var declared = Set<String>()
            for parameter in operation["parameters"]?.arrayValue ?? [] {
                let resolved = try #require(parameter["$ref"]?.stringValue.flatMap(Self.resolve) ?? parameter)
                guard resolved["in"] == "path" else { continue }
                #expect(resolved["required"] == true)
                declared.insert(resolved["name"]?.stringValue ?? "")
            }
            #expect(declared == template, "\(method.uppercased()) \(path)")
        }
    }

    @Test("the 401 has no body and a WWW-Authenticate header; errors use the Error schema")
    func errorResponses() throws {
        let responses = try #require(Self.document["components"]?["responses"])
        #expect(responses["Unauthorized"]?["content"] == nil)
        #expect(responses["Unauthorized"]?["headers"]?["WWW-Authenticate"] != nil)
        #expect(responses["MethodNotAllowed"]?["headers"]?["Allow"] != nil)
        for name in ["BadRequest", "NotFound", "Conflict", "ContentTooLarge", "InternalError", "GatewayTimeout"] {
            #expect(responses[name]?["content"]?["application/json"]?["schema"] == ["$ref": "#/components/schemas/Error"], "\(name)")
        }
        let codes = try #require(Self.schema("Error")?["properties"]?["code"]?["enum"]?.arrayValue)
        #expect(Set(codes.compactMap(\.stringValue)) == [
            "bad_request", "not_found", "already_exists", "not_running", "timeout", "internal_error", "unauthorized",
            "forbidden", "max_run_reached", "bad_gateway", "remote_node_error", "auth.unauthorized",
            "auth.token_invalid", "auth.forbidden",
        ])
        #expect(Self.required("Error") == ["code", "message"])
    }

    @Test("empty-body responses have no content: 204 delete and the 200s of suspend, rename, stop, retry, dequeue, status")
    func emptyBodies() {
        let empty: [(String, String, String)] = [
            ("/dags/{fileName}", "delete", "204"), ("/dags/{fileName}/suspend", "post", "200"),
            ("/dags/{fileName}/rename", "post", "200"), ("/dag-runs/{name}/{dagRunId}/stop", "post", "200"),
            ("/dag-runs/{name}/{dagRunId}/retry", "post", "200"), ("/dag-runs/{name}/{dagRunId}/dequeue", "get", "200"),
            ("/dag-runs/{name}/{dagRunId}/dequeue", "post", "200"),
            ("/dag-runs/{name}/{dagRunId}/steps/{stepName}/status", "patch", "200"),
        ]
        for (path, method, status) in empty {
            let response = Self.document["paths"]?[path]?[method]?["responses"]?[status]
            #expect(response != nil && response?["content"] == nil, "\(method) \(path) \(status)")
        }
    }

    @Test("the controller serves GET /openapi.json (JSON, 200); other methods are 405")
    func controller() async throws {
        let settings = APIServerSettings(host: "127.0.0.1", port: 0, mountPath: "/trellis/rest",
                                         authenticator: Authenticator(mode: .none), timeZone: DTOTest.utc, version: "t",
                                         inlineSpecDirectory: NSTemporaryDirectory())
        var table = RouteTable<APIHandler>()
        OpenAPIController(settings: settings).register(in: &table)
        guard case .found(let handler, _) = table.resolve(.get, ["openapi.json"]) else {
            Issue.record("GET /openapi.json is not routed")
            return
        }
        let request = APIRequest(method: .get, parameters: [:], query: QueryParameters(""), headers: .init(), body: [],
                                 requestID: "test")
        let response = try await handler(request)
        #expect(response.status.code == 200)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        let length = Int(response.headers[.contentLength] ?? "") ?? 0
        #expect(length == OpenAPIDocument.json(serverURL: "/trellis/rest").serialized().utf8.count)
        guard case .methodNotAllowed(let allowed) = table.resolve(.post, ["openapi.json"]) else {
            Issue.record("POST /openapi.json is not 405")
            return
        }
        #expect(allowed == [.get])
    }

    struct FixedExposition: MetricsExposing {
        func exposition() -> String { "# TYPE trellis_dags_total gauge\ntrellis_dags_total 3.0\n" }
    }

    @Test("GET /metrics is documented as text/plain (401 when private) and the controller serves it so")
    func metricsRoute() async throws {
        let operation = try #require(Self.document["paths"]?["/metrics"]?["get"])
        #expect(operation["responses"]?["200"]?["content"]?["text/plain"] != nil)
        #expect(operation["responses"]?["200"]?["content"]?["application/json"] == nil)
        #expect(operation["responses"]?["401"] != nil, "private unless metrics: public")
        #expect(operation["security"] == nil, "not always public")

        var table = RouteTable<APIHandler>()
        MetricsController(exporter: FixedExposition()).register(in: &table)
        guard case .found(let handler, _) = table.resolve(.get, ["metrics"]) else {
            Issue.record("GET /metrics is not routed")
            return
        }
        let request = APIRequest(method: .get, parameters: [:], query: QueryParameters(""), headers: .init(), body: [],
                                 requestID: "test")
        let response = try await handler(request)
        #expect(response.status.code == 200)
        #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.headers[.contentLength] == String(FixedExposition().exposition().utf8.count))
        guard case .methodNotAllowed(let allowed) = table.resolve(.post, ["metrics"]) else {
            Issue.record("POST /metrics is not 405")
            return
        }
        #expect(allowed == [.get])

        var disabled = RouteTable<APIHandler>()
        MetricsController(exporter: nil).register(in: &disabled)
        guard case .found(let missing, _) = disabled.resolve(.get, ["metrics"]) else {
            Issue.record("GET /metrics is not routed without an exporter")
            return
        }
        await #expect(throws: APIError.self) { _ = try await missing(request) }
    }
}
