import Foundation
import Hummingbird
import TrellisCore

/// The fields of a start body (API §4.8), checked; shared by the DAG and inline-spec starts.
enum DAGStartBody {
    static func parse(_ object: JSONObject) throws(APIError) -> DAGController.StartBody {
        try DAGController.startBody(object)
    }
}

extension DAGController {
    /// The fields of a start body (API §4.8), checked.
    struct StartBody {
        var params: String?
        var runID: String?
        var singleton: Bool
        var labels: [String]
        /// Record the run under this DAG name instead (its history and own queue).
        var dagName: String?
    }

    /// The most UTF-8 bytes `params` (as text) and the labels (joined by commas) may each take:
    /// both reach the run agent's command line, where one argument holds at most 128 KiB
    /// (Linux `MAX_ARG_STRLEN`); a longer one would fail the agent's `exec`.
    static let maxArgumentBytes = 64 * 1024

    static func startBody(_ object: JSONObject) throws(APIError) -> StartBody {
        var body = StartBody(params: nil, runID: nil, singleton: false, labels: [], dagName: nil)
        switch object["params"] {
        case nil, .null?: break
        case .string(let text)?: body.params = text
        case let value?: body.params = value.serialized()
        }
        // Params and labels reach the run agent's command line, where a NUL cannot go.
        if body.params?.contains("\0") == true { throw APIError.badRequest("params must not contain NUL characters") }
        if let size = body.params?.utf8.count, size > maxArgumentBytes {
            throw APIError.badRequest("params must be at most \(maxArgumentBytes) bytes, got \(size)")
        }
        switch object["dagRunId"] {
        case nil, .null?: break
        case .string(let text)?: body.runID = text.isEmpty ? nil : try Identifiers.runID(text)
        default: throw APIError.badRequest("dagRunId must be a string")
        }
        switch object["singleton"] {
        case nil, .null?: break
        case .bool(let flag)?: body.singleton = flag
        default: throw APIError.badRequest("singleton must be a boolean")
        }
        let labels = try Self.stringList(object, "labels")
        let tags = try Self.stringList(object, "tags")
        if !labels.isEmpty && !tags.isEmpty { throw APIError.badRequest("labels and deprecated tags cannot both be set") }
        body.labels = (labels.isEmpty ? tags : labels).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if body.labels.contains(where: \.isEmpty) { throw APIError.badRequest("labels must not be empty") }
        if body.labels.contains(where: { $0.contains("\0") }) { throw APIError.badRequest("labels must not contain NUL characters") }
        let labelBytes = body.labels.joined(separator: ",").utf8.count
        if labelBytes > maxArgumentBytes {
            throw APIError.badRequest("labels must be at most \(maxArgumentBytes) bytes together, got \(labelBytes)")
        }
        switch object["dagName"] {
        case nil, .null?: break
        case .string(let name)?:
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { body.dagName = try Identifiers.runName(trimmed) }
        default: throw APIError.badRequest("dagName must be a string")
        }
        return body
    }

    private static func stringList(_ object: JSONObject, _ key: String) throws(APIError) -> [String] {
        switch object[key] {
        case nil, .null?: return []
        case .array(let items)?:
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw APIError.badRequest("\(key) must be a list of strings") }
                result.append(text)
            }
            return result
        default: throw APIError.badRequest("\(key) must be a list of strings")
        }
    }

    /// `POST /dags/{fileName}/start` (API §4.8).
    func start(_ request: APIRequest) async throws -> Response {
        let entry = try entry(request)
        guard entry.isValid, let dag = entry.load.dag else {
            throw APIError.badRequest(entry.errors.map(\.description).joined(separator: "; "))
        }
        let snapshot = try await startDirect(entry, dag: dag, body: Self.startBody(request.jsonObject()))
        return JSONResponse.json(.object(JSONObject([("dagRunId", .string(snapshot.run.id))])))
    }

    /// The checks of §4.8 after the DAG's own, in order (params, singleton, run-ID conflict),
    /// then a direct start through a detached run agent; returns once the run is running.
    func startDirect(_ entry: CatalogEntry, dag: DAG, body: StartBody) async throws -> RunSnapshot {
        let overrides: ParamOverrides = body.params.map { .text($0) } ?? .none
        if case .failure(let errors) = ParamResolver.resolve(dag.params, overrides: overrides) {
            throw APIError.badRequest(errors.errors.map(\.message).joined(separator: "; "))
        }
        let runName = try Identifiers.runName(body.dagName ?? dag.name)
        if body.singleton, let latest = latestRun(of: runName), latest.status.isActive {
            throw APIError.conflict("DAG \(runName) is already running (singleton mode)")
        }
        let runID = body.runID ?? RunIDGenerator.uuidV7(now: environment.now())
        if (try? environment.runs.header(of: RunRef(name: runName, id: runID))) != nil {
            throw APIError.conflict("dag-run ID \(runID) already exists for DAG \(runName)")
        }
        let startRequest = StartRequest(dagFile: entry.path, runID: runID, params: body.params, labels: body.labels)
        return try await environment.control.start(startRequest, dagName: runName)
    }
}
