import Foundation
import Hummingbird
import TrellisCore

/// Enqueue and dequeue (API §4.10, §6.3, §6.8; format §14.3, §14.4). Queued runs are only
/// persisted here; the scheduler's dispatcher starts them.
struct EnqueueController {
    let settings: APIServerSettings
    let environment: APIEnvironment

    func register(in table: inout RouteTable<APIHandler>) {
        table.add(.post, "/dags/{fileName}/enqueue") { request in try enqueueFile(request) }
        table.add(.post, "/dag-runs/enqueue") { request in try enqueueInline(request) }
        table.add(.get, "/dag-runs/{name}/{dagRunId}/dequeue") { request in try dequeue(request) }
        table.add(.post, "/dag-runs/{name}/{dagRunId}/dequeue") { request in try dequeue(request) }
    }

    private var runs: RunController { RunController(settings: settings, environment: environment) }

    // MARK: - Enqueue

    /// `POST /dags/{fileName}/enqueue` (§4.10): the checks of a start (§4.8), plus `queue`.
    private func enqueueFile(_ request: APIRequest) throws -> Response {
        let fileName = try Identifiers.dagName(request.parameter("fileName"))
        guard let entry = environment.catalog.entry(fileName: fileName) else {
            throw APIError.notFound("DAG \(fileName) not found")
        }
        guard entry.isValid, let dag = entry.load.dag else {
            throw APIError.badRequest(entry.errors.map(\.description).joined(separator: "; "))
        }
        let object = try request.jsonObject()
        return try enqueue(dag, spec: entry.text, sourceFileName: entry.fileName, body: object)
    }

    /// `POST /dag-runs/enqueue` (§6.3): an inline spec, stored with the run only.
    private func enqueueInline(_ request: APIRequest) throws -> Response {
        let object = try request.jsonObject()
        let (dag, spec) = try InlineSpec.load(object)
        return try enqueue(dag, spec: spec, sourceFileName: nil, body: object)
    }

    /// The §4.8 checks after the DAG's own, in order, then the enqueue.
    private func enqueue(_ dag: DAG, spec: String, sourceFileName: String?, body object: JSONObject) throws -> Response {
        let queueing = try environment.requireQueueing()
        _ = try Identifiers.runName(dag.name)
        let body = try DAGStartBody.parse(object)
        var requestedQueue: String?
        switch object["queue"] {
        case nil, .null?: break
        case .string(let text)?: requestedQueue = text
        default: throw APIError.badRequest("queue must be a string")
        }
        let overrides: ParamOverrides = body.params.map { .text($0) } ?? .none
        let params: ResolvedParams
        switch ParamResolver.resolve(dag.params, overrides: overrides) {
        case .success(let value): params = value
        case .failure(let errors): throw APIError.badRequest(errors.errors.map(\.message).joined(separator: "; "))
        }
        let queue: String
        do {
            queue = try queueing.queueName(for: dag, requested: requestedQueue)
        } catch {
            throw APIError.badRequest(error.message)
        }
        if body.singleton { try checkSingleton(dag.name, queue: queue, queueing: queueing) }
        let runID = body.runID ?? RunIDGenerator.uuidV7(now: environment.now())
        if (try? environment.runs.header(of: RunRef(name: dag.name, id: runID))) != nil {
            throw APIError.conflict("dag-run ID \(runID) already exists for DAG \(dag.name)")
        }
        let enqueueRequest = EnqueueRequest(dag: dag, spec: spec, runID: runID, params: params, labels: body.labels,
                                            queue: queue, sourceFileName: sourceFileName)
        do {
            _ = try queueing.enqueue(enqueueRequest)
        } catch {
            throw Self.apiError(error)
        }
        return JSONResponse.json(.object(JSONObject([("dagRunId", .string(runID))])))
    }

    /// 409 when the DAG has a running run, or a queued one (API §4.10).
    private func checkSingleton(_ dagName: String, queue: String, queueing: RunQueueing) throws(APIError) {
        let recent = (try? environment.runs.runs(dagName: dagName, limit: 50, cursor: nil).entries) ?? []
        var queued = false
        for entry in recent where entry.status.isActive {
            guard let snapshot = try? environment.snapshot(of: entry.run) else { continue }
            if snapshot.status == .running { throw APIError.conflict("DAG \(dagName) is already running (singleton mode)") }
            if snapshot.status == .queued { queued = true }
        }
        if !queued, let state = try? queueing.queues.state(of: queue) {
            queued = (state.claimed + state.open).contains { item in
                item.run.name == dagName && (try? environment.runs.latestSnapshot(of: item.run))?.status == .queued
            }
        }
        if queued { throw APIError.conflict("DAG \(dagName) is already in queue (singleton mode)") }
    }

    // MARK: - Dequeue

    /// `GET`/`POST /dag-runs/{name}/{dagRunId}/dequeue` (§6.8).
    private func dequeue(_ request: APIRequest) throws -> Response {
        try runs.dequeueQueued(runs.run(request))
    }

    /// The API error of a refused enqueue or dequeue; a store failure stays itself (a generic
    /// 500 whose cause goes to the server log, API §1.5).
    static func apiError(_ error: QueueingError) -> any Error {
        switch error.code {
        case .invalidQueue, .notQueued, .dispatching, .otherQueue, .empty: APIError.badRequest(error.message)
        case .runExists: APIError.conflict(error.message)
        case .notFound: APIError.notFound(error.message)
        case .store: error
        }
    }
}

extension RunController {
    /// Dequeues a run (§6.8; a stop of a queued run, §6.6): 400 when it is not queued or is
    /// being dispatched. 200 with an empty body.
    func dequeueQueued(_ snapshot: RunSnapshot) throws -> Response {
        guard snapshot.status == .queued else {
            throw APIError.badRequest(RunQueueing.notQueuedMessage(snapshot.status))
        }
        do {
            _ = try environment.requireQueueing().dequeue(snapshot.run)
        } catch let error as QueueingError {
            throw EnqueueController.apiError(error)
        }
        return JSONResponse.empty()
    }
}

extension APIEnvironment {
    /// The queues, or a (generic) 500 when the server was composed without them.
    func requireQueueing() throws -> RunQueueing {
        guard let queueing else { throw QueuesUnavailable() }
        return queueing
    }
}

/// The server was composed without ``APIEnvironment/queueing``.
struct QueuesUnavailable: Error, CustomStringConvertible {
    var description: String { "the API environment has no queues" }
}
