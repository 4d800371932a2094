import Foundation
import Hummingbird
import TrellisCore

/// The DAG endpoints of API §4 served so far: list, labels, details, spec, start, and a DAG's
/// runs.
struct DAGController {
    let settings: APIServerSettings
    let environment: APIEnvironment

    var zone: TimeZone { settings.timeZone }

    func register(in table: inout RouteTable<APIHandler>) {
        table.add(.get, "/dags") { request in try list(request) }
        table.add(.get, "/dags/labels") { request in try labels(request, key: "labels") }
        table.add(.get, "/dags/tags") { request in try labels(request, key: "tags") }
        table.add(.get, "/dags/{fileName}") { request in try details(request) }
        table.add(.get, "/dags/{fileName}/spec") { request in try spec(request) }
        table.add(.post, "/dags/{fileName}/start") { request in try await start(request) }
        table.add(.get, "/dags/{fileName}/dag-runs") { request in try history(request) }
        table.add(.get, "/dags/{fileName}/dag-runs/{dagRunId}") { request in try run(request) }
        registerWriteRoutes(in: &table)
    }

    /// The catalog entry of `{fileName}`, or 404.
    func entry(_ request: APIRequest) throws -> CatalogEntry {
        let fileName = try Identifiers.dagName(request.parameter("fileName"))
        guard let entry = environment.catalog.entry(fileName: fileName) else {
            throw APIError.notFound("DAG \(fileName) not found")
        }
        return entry
    }

    /// The newest run of a DAG name, repaired if its agent died.
    func latestRun(of dagName: String) -> RunSnapshot? {
        guard let newest = try? environment.runs.runs(dagName: dagName, limit: 1, cursor: nil).entries.first else { return nil }
        return try? environment.snapshot(of: newest.run)
    }

    /// The latest run's summary, from the server's cache while the DAG's newest index entry is
    /// unchanged (`LatestRunSummaries`). `nil` = never run.
    func latestSummary(of dagName: String) -> JSONValue? {
        environment.latestSummaries.summary(of: dagName, environment: environment, zone: zone)
    }

    // MARK: - GET /dags

    private func list(_ request: APIRequest) throws -> Response {
        let query = request.query
        try Identifiers.checkCommon(query)
        let page = max(1, try query.int("page") ?? 1)
        let perPage = min(200, max(1, try query.int("perPage") ?? 50))
        let filter = try LabelFilter(query: query)
        let sort = query["sort"].flatMap { $0.isEmpty ? nil : $0 } ?? "name"
        let order = query["order"].flatMap { $0.isEmpty ? nil : $0 } ?? "asc"
        guard ["name", "nextRun"].contains(sort) else { throw APIError.badRequest("sort must be name or nextRun, got \"\(sort)\"") }
        guard ["asc", "desc"].contains(order) else { throw APIError.badRequest("order must be asc or desc, got \"\(order)\"") }
        let needle = query["name"]?.lowercased() ?? ""
        let now = environment.now()
        let all = environment.catalogIndex.items(of: environment.catalog)
        var positions = all.indices.filter { index in
            let item = all[index]
            return (needle.isEmpty || item.name.contains(needle) || item.fileName.contains(needle))
                && (filter.isEmpty || filter.matches(item.labels))
        }
        if sort == "name" {
            if order == "desc" { positions.reverse() }
        } else {
            // Positions in name order break ties; absent times go last.
            let next = environment.catalogIndex.nextRuns(of: environment.catalog, items: all, now: now,
                                                         cache: environment.nextRuns, zone: zone)
            positions.sort { lhs, rhs in
                switch (next[lhs], next[rhs]) {
                case let (l?, r?): return l == r ? lhs < rhs : (order == "asc" ? l < r : l > r)
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return lhs < rhs
                }
            }
        }
        let items = positions.map { all[$0] }
        let total = items.count
        let pageItems = items.dropFirst(Pagination.offset(page: page, perPage: perPage)).prefix(perPage)
        let dags = pageItems.map { item in
            let entry = item.entry
            return DAGFileDTO.render(fileName: entry.fileName, filePath: entry.path, dag: entry.load.dag,
                                     latestDAGRun: latestSummary(of: entry.dagName),
                                     nextRun: environment.nextRuns.nextRun(of: entry, after: now, zone: zone),
                                     suspended: entry.suspended, errors: entry.errors.map(\.description), zone: zone)
        }
        return JSONResponse.json(.object(JSONObject([
            ("dags", .array(dags)), ("errors", .array([])),
            ("pagination", Pagination.render(total: total, page: page, perPage: perPage)),
        ])))
    }

    private func labels(_ request: APIRequest, key: String) throws -> Response {
        try Identifiers.checkCommon(request.query)
        var all = Set<String>()
        for entry in environment.catalog.entries() {
            for label in entry.load.dag?.labels ?? [] {
                all.insert(label.description)
                all.insert(label.key)
            }
        }
        return JSONResponse.json(.object(JSONObject([(key, .array(all.sorted().map { .string($0) })), ("errors", .array([]))])))
    }

    // MARK: - One DAG

    private func details(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        let latest = latestRun(of: entry.dagName)
        let runDetails: JSONValue
        if let latest {
            runDetails = RunDTO.details(latest, dag: entry.load.dag, zone: zone, specFromFile: true, sourceFileName: entry.fileName)
        } else {
            runDetails = RunDTO.notStartedDetails(entry.load.dag ?? DAG(name: entry.fileName, fileName: entry.fileName), zone: zone)
        }
        var object = JSONObject([("filePath", .string(entry.path))])
        if let dag = entry.load.dag {
            object["dag"] = DAGDTO.details(dag, nextRun: NextRunPlanner.nextRun(of: entry, after: environment.now(), zone: zone), zone: zone)
        }
        object["localDags"] = .array([])
        object["latestDAGRun"] = runDetails
        object["suspended"] = .bool(entry.suspended)
        object["errors"] = .array(entry.errors.map { .string($0.description) })
        object["spec"] = .string(entry.text)
        return JSONResponse.json(.object(object))
    }

    private func spec(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        var object = JSONObject([
            ("spec", .string(entry.text)),
            ("errors", .array(entry.errors.map { .string($0.description) })),
            ("warnings", .array(entry.load.warnings.map { .string($0.description) })),
        ])
        if let dag = entry.load.dag { object["dag"] = DAGDTO.details(dag, nextRun: nil, zone: zone) }
        return JSONResponse.json(.object(object))
    }

    private func history(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        let page = try environment.runs.runs(dagName: entry.dagName, limit: 30, cursor: nil)
        let snapshots = page.entries.compactMap { try? environment.snapshot(of: $0.run) }
        let runs = snapshots.map { RunDTO.details($0, dag: entry.load.dag, zone: zone, specFromFile: true, sourceFileName: entry.fileName) }
        return JSONResponse.json(.object(JSONObject([
            ("dagRuns", .array(runs)),
            ("gridData", .array(DAGRunHistoryDTO.gridData(snapshots, current: entry.load.dag))),
        ])))
    }

    private func run(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        let runID = try Identifiers.runID(request.parameter("dagRunId"), allowLatest: true)
        let snapshot: RunSnapshot
        if runID == "latest" {
            guard let latest = latestRun(of: entry.dagName) else {
                throw APIError.notFound("no dag-runs found for DAG \(entry.dagName)")
            }
            snapshot = latest
        } else {
            guard let found = try environment.snapshot(of: RunRef(name: entry.dagName, id: runID)) else {
                throw APIError.notFound("dag-run ID \(runID) not found for DAG \(entry.dagName)")
            }
            snapshot = found
        }
        return JSONResponse.json(.object(JSONObject([
            ("dagRun", RunDTO.details(snapshot, dag: entry.load.dag, zone: zone, specFromFile: true, sourceFileName: entry.fileName)),
        ])))
    }
}

/// `Pagination` (API §9.8).
enum Pagination {
    /// Items to skip for a 1-based page; saturates instead of overflowing on absurd pages.
    static func offset(page: Int, perPage: Int) -> Int {
        let (product, overflow) = (max(page, 1) - 1).multipliedReportingOverflow(by: perPage)
        return overflow ? Int.max : product
    }

    static func render(total: Int, page: Int, perPage: Int) -> JSONValue {
        let totalPages = max(1, (total + perPage - 1) / perPage)
        return .object(JSONObject([
            ("totalRecords", .integer(total)), ("currentPage", .integer(page)), ("totalPages", .integer(totalPages)),
            ("nextPage", .integer(min(page, totalPages - 1) + 1)), ("prevPage", .integer(max(min(page, totalPages + 1) - 1, 1))),
        ]))
    }
}
