import Foundation
import Hummingbird
import TrellisCore

/// The run endpoints of API §6 served so far: listings, details, stop, outputs and logs.
struct RunController {
    let settings: APIServerSettings
    let environment: APIEnvironment

    var zone: TimeZone { settings.timeZone }

    func register(in table: inout RouteTable<APIHandler>) {
        table.add(.get, "/dag-runs") { request in try list(request, exactName: String?.none) }
        table.add(.get, "/dag-runs/{name}") { request in
            try list(request, exactName: try Identifiers.dagName(request.parameter("name")))
        }
        table.add(.get, "/dag-runs/{name}/{dagRunId}") { request in
            let snapshot = try run(request)
            return JSONResponse.json(.object(JSONObject([("dagRunDetails", details(snapshot))])))
        }
        table.add(.post, "/dag-runs/{name}/{dagRunId}/stop") { request in try stop(request) }
        table.add(.get, "/dag-runs/{name}/{dagRunId}/outputs") { request in try outputs(request) }
        table.add(.get, "/dag-runs/{name}/{dagRunId}/log") { request in try runLog(request) }
        table.add(.get, "/dag-runs/{name}/{dagRunId}/steps/{stepName}/log") { request in try stepLog(request) }
        registerActions(in: &table)
    }

    /// The run of `{name}`/`{dagRunId}` (`latest` allowed), repaired if its agent died.
    func run(_ request: APIRequest) throws -> RunSnapshot {
        let name = try Identifiers.dagName(request.parameter("name"))
        let id = try Identifiers.runID(request.parameter("dagRunId"), allowLatest: true)
        if id == "latest" {
            guard let newest = try environment.runs.runs(dagName: name, limit: 1, cursor: nil).entries.first,
                  let snapshot = try environment.snapshot(of: newest.run) else {
                throw APIError.notFound("no dag-runs found for DAG \(name)")
            }
            return snapshot
        }
        guard let snapshot = try environment.snapshot(of: RunRef(name: name, id: id)) else {
            throw APIError.notFound("dag-run ID \(id) not found for DAG \(name)")
        }
        return snapshot
    }

    /// Details with each node's step from the DAG text stored with the run.
    func details(_ snapshot: RunSnapshot) -> JSONValue {
        let header = try? environment.runs.header(of: snapshot.run)
        let fileName = header?.sourceFileName
        let dag = (try? environment.runs.spec(of: snapshot.run)).flatMap { spec in
            spec.map { DAGLoader.load(text: $0, fileName: (fileName ?? snapshot.run.name) + ".yaml").dag }
        } ?? nil
        let stillThere = fileName.flatMap { environment.catalog.entry(fileName: $0) } != nil
        return RunDTO.details(snapshot, dag: dag, zone: zone, specFromFile: fileName != nil,
                              sourceFileName: stillThere ? fileName : nil)
    }

    // MARK: - Listing (§6.1, §6.4)

    private func list(_ request: APIRequest, exactName: String?) throws -> Response {
        let query = request.query
        try Identifiers.checkCommon(query)
        let limit = min(500, max(1, try query.int("limit") ?? 100))
        let filter = try RunListFilter(query: query, exactName: exactName)
        let cursor = try query["cursor"].map { try RunListCursor.decode($0, filter: filter.fingerprint) }
        var storeCursor = cursor?.storeCursor
        var skip = cursor?.skip ?? 0
        var results: [JSONValue] = []
        var next: RunListCursor?
        scan: while true {
            let page: RunPage
            do {
                page = try environment.runs.runs(dagName: exactName, limit: limit, cursor: storeCursor)
            } catch {
                throw APIError.badRequest("invalid cursor")
            }
            for (index, entry) in page.entries.enumerated() where index >= skip {
                guard filter.matches(entry) else { continue }
                if results.count == limit {
                    next = RunListCursor(storeCursor: storeCursor, skip: index, filter: filter.fingerprint)
                    break scan
                }
                let snapshot = entry.status.isActive ? try? environment.snapshot(of: entry.run) : nil
                results.append(RunDTO.summary(entry, snapshot: snapshot, zone: zone))
            }
            guard let following = page.nextCursor else { break }
            storeCursor = following
            skip = 0
        }
        var object = JSONObject([("dagRuns", .array(results))])
        if let next { object["nextCursor"] = .string(next.encoded()) }
        return JSONResponse.json(.object(object))
    }

    // MARK: - Stop (§6.6)

    private func stop(_ request: APIRequest) throws -> Response {
        var snapshot = try run(request)
        if snapshot.status == .queued {
            do {
                _ = try environment.requireQueueing().dequeue(snapshot.run)
                return JSONResponse.empty()
            } catch let error as QueueingError where error.code == .dispatching {
                // Claimed by the dispatcher, its agent on the way: the cancel request is
                // honoured by the agent as it starts (or by the running attempt's watcher).
                try environment.control.requestStop(snapshot.run, agentPID: nil)
                return JSONResponse.empty()
            } catch let error as QueueingError {
                guard case .notQueued = error.code, let now = try environment.snapshot(of: snapshot.run) else {
                    throw EnqueueController.apiError(error)
                }
                snapshot = now  // it started meanwhile: stop it below
                if snapshot.status == .queued {
                    // Its agent has taken it off the queue and not yet recorded `running`: the
                    // cancel request is honoured as the agent starts it.
                    try environment.control.requestStop(snapshot.run, agentPID: nil)
                    return JSONResponse.empty()
                }
            }
        }
        guard snapshot.status == .running else {
            throw APIError(.badRequest, .notRunning, "DAG run is not running")
        }
        try environment.control.requestStop(snapshot.run, agentPID: snapshot.pid)
        return JSONResponse.empty()
    }

    // MARK: - Outputs and logs (§6.9, §6.10, §6.12)

    private func outputs(_ request: APIRequest) throws -> Response {
        let snapshot = try run(request)
        let path = ((snapshot.log as NSString).deletingLastPathComponent as NSString).appendingPathComponent("outputs.json")
        let file = FileBytes.text(path).flatMap { try? JSONValue.parse($0) }
        return JSONResponse.json(OutputsDTO.render(snapshot, outputsFile: file, zone: zone))
    }

    private func runLog(_ request: APIRequest) throws -> Response {
        let snapshot = try run(request)
        guard !snapshot.log.isEmpty, FileManager.default.fileExists(atPath: snapshot.log) else {
            throw APIError.notFound("log file not found for dag-run \(snapshot.run.id)")
        }
        return JSONResponse.json(try LogSlice.read(snapshot.log, query: request.query))
    }

    private func stepLog(_ request: APIRequest) throws -> Response {
        let snapshot = try run(request)
        let step = request.parameter("stepName")
        guard let node = snapshot.node(named: step) else {
            throw APIError.notFound("step \(step) not found in dag-run \(snapshot.run.id)")
        }
        let stream = request.query["stream"].flatMap { $0.isEmpty ? nil : $0 } ?? "stdout"
        guard stream == "stdout" || stream == "stderr" else {
            throw APIError.badRequest("stream must be stdout or stderr, got \"\(stream)\"")
        }
        // A step's log file is made when its first byte arrives: a missing file in an existing
        // log folder is a step that wrote nothing.
        guard let path = stream == "stdout" ? node.stdout : node.stderr,
              FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent) else {
            throw APIError.notFound("log file not found for step \(step)")
        }
        return JSONResponse.json(try LogSlice.read(path, query: request.query, missingIsEmpty: true))
    }
}
