import Foundation
import Hummingbird
import TrellisCore

/// The queue endpoints (API §7; format §14). A queue is listed when it is a declared global
/// queue, or a DAG's own queue (or an undeclared `queue:` name) with running or queued runs.
struct QueueController {
    let settings: APIServerSettings
    let environment: APIEnvironment

    var zone: TimeZone { settings.timeZone }

    /// How many of the newest root runs are scanned for running ones. Runs in a queue file's
    /// claimed or running set are checked whatever their age.
    static let runningScanLimit = 2_000

    func register(in table: inout RouteTable<APIHandler>) {
        table.add(.get, "/queues") { request in try list(request) }
        table.add(.get, "/queues/{name}") { request in try one(request) }
        table.add(.get, "/queues/{name}/items") { request in try items(request) }
    }

    /// One queue as the API shows it.
    struct QueueView {
        var name: String
        var global: Bool
        var maxConcurrency: Int
        /// Runs of the queue whose status is running, oldest start first.
        var running: [RunSnapshot]
        /// Queued runs not yet running, in dispatch order.
        var queued: [RunSnapshot]
    }

    // MARK: - Endpoints

    /// `GET /queues` (§7.1).
    private func list(_ request: APIRequest) throws -> Response {
        try Identifiers.checkCommon(request.query)
        let queueing = try environment.requireQueueing()
        let running = runningByQueue(queueing)
        var names = Set(queueing.globalQueues.map(\.name)).union(running.keys)
        names.formUnion((try? queueing.queues.queueNames()) ?? [])
        let views = names.sorted().compactMap { view($0, running: running, queueing: queueing) }
        let totalRunning = views.reduce(0) { $0 + $1.running.count }
        let capacity = views.reduce(0) { $0 + $1.maxConcurrency }
        let summary = JSONObject([
            ("totalQueues", .integer(views.count)),
            ("totalRunning", .integer(totalRunning)),
            ("totalQueued", .integer(views.reduce(0) { $0 + $1.queued.count })),
            ("totalCapacity", .integer(capacity)),
            ("utilizationPercentage", capacity == 0 ? .integer(0) : DTOValue.number(Double(totalRunning) / Double(capacity) * 100)),
        ])
        return JSONResponse.json(.object(JSONObject([("queues", .array(views.map(render))), ("summary", .object(summary))])))
    }

    /// `GET /queues/{name}` (§7.2).
    private func one(_ request: APIRequest) throws -> Response {
        try Identifiers.checkCommon(request.query)
        let name = try Identifiers.dagName(request.parameter("name"))
        let queueing = try environment.requireQueueing()
        guard let view = view(name, running: runningByQueue(queueing), queueing: queueing) else {
            throw APIError.notFound("Queue \"\(name)\" not found")
        }
        return JSONResponse.json(render(view))
    }

    /// `GET /queues/{name}/items` (§7.3): queued runs from the head (FIFO), or the running ones
    /// with `type=running`; a cursor, or the older `page`/`perPage` with `pagination`.
    private func items(_ request: APIRequest) throws -> Response {
        let query = request.query
        try Identifiers.checkCommon(query)
        let name = try Identifiers.dagName(request.parameter("name"))
        let type = query["type"].flatMap { $0.isEmpty ? nil : $0 } ?? "queued"
        guard type == "queued" || type == "running" else {
            throw APIError.badRequest("type must be queued or running, got \"\(type)\"")
        }
        let queueing = try environment.requireQueueing()
        let list: [RunSnapshot]
        if type == "running" {
            list = runningByQueue(queueing)[name] ?? []
        } else {
            list = (try? queueing.queuedRuns(of: name)) ?? []
        }
        if query["page"] != nil || query["perPage"] != nil {
            let page = max(1, try query.int("page") ?? 1)
            let perPage = min(500, max(1, try query.int("perPage") ?? 100))
            let slice = list.dropFirst(Pagination.offset(page: page, perPage: perPage)).prefix(perPage)
            return JSONResponse.json(.object(JSONObject([
                ("items", .array(slice.map { RunDTO.summary($0, zone: zone) })),
                ("pagination", Pagination.render(total: list.count, page: page, perPage: perPage)),
            ])))
        }
        var limit = try query.int("limit") ?? 100
        if limit <= 0 { limit = 100 }
        limit = min(limit, 500)
        let filter = "\(name)|\(type)"
        var start = 0
        if let text = query["cursor"], !text.isEmpty {
            start = try QueueItemsCursor.decode(text, filter: filter).position(in: list, type: type)
        }
        let page = Array(list.dropFirst(start).prefix(limit))
        var object = JSONObject([("items", .array(page.map { RunDTO.summary($0, zone: zone) }))])
        if start + page.count < list.count, let last = page.last {
            object["nextCursor"] = .string(QueueItemsCursor(last: last.run, time: QueueItemsCursor.time(of: last, type: type),
                                                            filter: filter).encoded())
        }
        return JSONResponse.json(.object(object))
    }

    // MARK: - Building

    /// The queue named `name`, or `nil` when it is not listed (§7).
    func view(_ name: String, running: [String: [RunSnapshot]], queueing: RunQueueing) -> QueueView? {
        let global = queueing.globalQueue(named: name)
        let queued = (try? queueing.queuedRuns(of: name)) ?? []
        let runs = running[name] ?? []
        guard global != nil || !queued.isEmpty || !runs.isEmpty else { return nil }
        var limit = global?.maxConcurrency ?? 1
        if global == nil, let dag = environment.catalog.entry(dagName: name)?.load.dag, RunQueueing.defaultQueue(of: dag) == name {
            limit = max(1, dag.maxActiveRuns)
        }
        return QueueView(name: name, global: global != nil, maxConcurrency: limit, running: runs, queued: queued)
    }

    /// Root runs whose status is running, by queue. A run is running only while its agent holds
    /// its lock: dead runs are repaired (to failed) on the way (format §16.2). Candidates are the
    /// claimed and running items of every queue file and the running entries among the newest
    /// ``runningScanLimit`` runs.
    func runningByQueue(_ queueing: RunQueueing) -> [String: [RunSnapshot]] {
        var candidates: [RunRef] = []
        var seen = Set<RunRef>()
        for name in (try? queueing.queues.queueNames()) ?? [] {
            guard let state = try? queueing.queues.state(of: name) else { continue }
            for item in state.claimed + state.running where seen.insert(item.run).inserted { candidates.append(item.run) }
        }
        var cursor: String?
        var scanned = 0
        repeat {
            guard let page = try? environment.runs.runs(dagName: nil, limit: 500, cursor: cursor) else { break }
            for entry in page.entries where entry.status == .running && seen.insert(entry.run).inserted {
                candidates.append(entry.run)
            }
            scanned += page.entries.count
            cursor = page.nextCursor
        } while cursor != nil && scanned < Self.runningScanLimit
        var result: [String: [RunSnapshot]] = [:]
        for run in candidates {
            guard let snapshot = try? environment.snapshot(of: run), snapshot.status == .running, snapshot.parent == nil else { continue }
            result[snapshot.queue.isEmpty ? run.name : snapshot.queue, default: []].append(snapshot)
        }
        for key in result.keys {
            result[key]?.sort { ($0.startedAt ?? .distantPast, $0.run.id) < ($1.startedAt ?? .distantPast, $1.run.id) }
        }
        return result
    }

    /// `Queue {name, type, maxConcurrency, runningCount, queuedCount, running}`.
    private func render(_ view: QueueView) -> JSONValue {
        .object(JSONObject([
            ("name", .string(view.name)),
            ("type", .string(view.global ? "global" : "dag-based")),
            ("maxConcurrency", .integer(view.maxConcurrency)),
            ("runningCount", .integer(view.running.count)),
            ("queuedCount", .integer(view.queued.count)),
            ("running", .array(view.running.map { RunDTO.summary($0, zone: zone) })),
        ]))
    }
}

/// The cursor of queue items (API §1.6): the last item returned and its time, bound to the
/// queue and type it was issued for. The next page starts after that item, or — when it has
/// left the list meanwhile — at the first item that is newer.
struct QueueItemsCursor {
    var last: RunRef
    /// Milliseconds: the item's `queuedAt` (queued) or `startedAt` (running).
    var time: Int
    var filter: String

    static func time(of snapshot: RunSnapshot, type: String) -> Int {
        let date = (type == "running" ? snapshot.startedAt : snapshot.queuedAt) ?? snapshot.createdAt
        return Int((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    func position(in list: [RunSnapshot], type: String) -> Int {
        if let index = list.firstIndex(where: { $0.run == last }) { return index + 1 }
        return list.firstIndex { Self.time(of: $0, type: type) > time } ?? list.count
    }

    func encoded() -> String {
        let json = JSONValue.object(JSONObject([
            ("d", .string(last.name)), ("r", .string(last.id)), ("t", .integer(time)), ("f", .string(filter)),
        ])).serialized()
        return Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String, filter: String) throws(APIError) -> QueueItemsCursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
              case .object(let object)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
              case .string(let dag)? = object["d"], case .string(let id)? = object["r"],
              case .integer(let time)? = object["t"], case .string(let issued)? = object["f"] else {
            throw APIError.badRequest("invalid cursor")
        }
        guard issued == filter else { throw APIError.badRequest("the cursor was issued for other filters") }
        return QueueItemsCursor(last: RunRef(name: dag, id: id), time: time, filter: filter)
    }
}
