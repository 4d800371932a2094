import Foundation
import Hummingbird
import TrellisCore

extension RunController {
    /// Retry, step-status patch, sub-DAG runs and inline-spec runs (API §6.2, §6.7, §6.11, §6.13).
    func registerActions(in table: inout RouteTable<APIHandler>) {
        table.add(.post, "/dag-runs/{name}/{dagRunId}/retry") { request in try await retry(request) }
        table.add(.patch, "/dag-runs/{name}/{dagRunId}/steps/{stepName}/status") { request in try patch(request) }
        table.add(.get, "/dag-runs/{name}/{dagRunId}/sub-dag-runs") { request in try subRuns(request) }
        table.add(.post, "/dag-runs") { request in try await startInline(request) }
    }

    private func retry(_ request: APIRequest) async throws -> Response {
        let body = try request.jsonObject()
        let snapshot = try run(request)
        switch body["dagRunId"] {
        case nil, .null?: break
        case .string(let id)?:
            if !id.isEmpty, id != snapshot.run.id, id != request.parameter("dagRunId") {
                throw APIError.badRequest("dagRunId in the request body must match the path parameter")
            }
        default: throw APIError.badRequest("dagRunId must be a string")
        }
        var step: String?
        switch body["stepName"] {
        case nil, .null?: break
        case .string(let name)? where !name.isEmpty:
            guard snapshot.node(named: name) != nil else {
                throw APIError.badRequest("step \(name) not found in dag-run \(snapshot.run.id)")
            }
            step = name
        case .string?: break
        default: throw APIError.badRequest("stepName must be a string")
        }
        guard !snapshot.status.isActive else {
            throw APIError.conflict("dag-run \(snapshot.run.id) for DAG \(snapshot.run.name) is still \(snapshot.status.label)")
        }
        // A DAG on a global queue waits for a slot of its queue (§6.7), unless one step re-runs.
        if step == nil, let queueing = environment.queueing, try queueing.enqueueRetry(of: snapshot) != nil {
            return JSONResponse.empty()
        }
        _ = try await environment.control.retry(snapshot.run, step: step)
        return JSONResponse.empty()
    }

    private func patch(_ request: APIRequest) throws -> Response {
        let snapshot = try run(request)
        let stepName = request.parameter("stepName")
        let body = try request.jsonObject()
        guard case .integer(let raw)? = body["status"] else {
            throw APIError.badRequest("status is required and must be an integer node status (0-9)")
        }
        guard let status = NodeStatus(rawValue: raw) else {
            throw APIError.badRequest("status \(raw) is not a node status (0-9)")
        }
        guard !snapshot.status.isActive else {
            throw APIError.badRequest("dag-run \(snapshot.run.id) for DAG \(snapshot.run.name) is still running")
        }
        guard snapshot.node(named: stepName) != nil else {
            throw APIError.notFound("step \(stepName) not found in dag-run \(snapshot.run.id)")
        }
        do {
            _ = try environment.control.patchNodeStatus(snapshot.run, node: stepName, status: status)
        } catch {
            throw APIError.badRequest("\(error)")
        }
        return JSONResponse.empty()
    }

    private func subRuns(_ request: APIRequest) throws -> Response {
        var snapshot = try run(request)
        if let parentSub = request.query["parentSubDAGRunId"], !parentSub.isEmpty {
            guard let record = SubRunsDTO.records(of: snapshot).first(where: { $0.dagRunId == parentSub }),
                  let child = try environment.runs.latestSnapshot(of: RunRef(name: record.dagName, id: record.dagRunId)) else {
                throw APIError.notFound("sub dag-run \(parentSub) not found in dag-run \(snapshot.run.id)")
            }
            snapshot = child
        }
        let children = SubRunsDTO.records(of: snapshot).map { record in
            SubRunsDTO.Child(record: record, snapshot: try? environment.runs.latestSnapshot(of: RunRef(name: record.dagName, id: record.dagRunId)))
        }
        return JSONResponse.json(SubRunsDTO.render(children, zone: zone))
    }

    /// `POST /dag-runs` (§6.2): the spec is validated, written next to the run history (not in
    /// `dags_dir`), and run like a file; the run keeps its own copy for retries.
    private func startInline(_ request: APIRequest) async throws -> Response {
        let body = try request.jsonObject()
        let (dag, spec) = try InlineSpec.load(body)
        let dagName = dag.name
        let start = try DAGStartBody.parse(body)
        if case .failure(let errors) = ParamResolver.resolve(dag.params, overrides: start.params.map { .text($0) } ?? .none) {
            throw APIError.badRequest(errors.errors.map(\.message).joined(separator: "; "))
        }
        if start.singleton, let newest = try environment.runs.runs(dagName: dag.name, limit: 1, cursor: nil).entries.first,
           let latest = try environment.snapshot(of: newest.run), latest.status.isActive {
            throw APIError.conflict("DAG \(dag.name) is already running (singleton mode)")
        }
        let runID = start.runID ?? RunIDGenerator.uuidV7(now: environment.now())
        if (try? environment.runs.header(of: RunRef(name: dag.name, id: runID))) != nil {
            throw APIError.conflict("dag-run ID \(runID) already exists for DAG \(dag.name)")
        }
        let directory = (settings.inlineSpecDirectory as NSString).appendingPathComponent(runID)
        let file = (directory as NSString).appendingPathComponent(dagName + ".yaml")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(spec.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        _ = try await environment.control.start(StartRequest(dagFile: file, runID: runID, params: start.params, labels: start.labels),
                                                dagName: dag.name)
        return JSONResponse.json(.object(JSONObject([("dagRunId", .string(runID))])))
    }
}
