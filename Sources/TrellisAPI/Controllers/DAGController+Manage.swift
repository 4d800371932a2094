import Foundation
import Hummingbird
import TrellisCore

/// Suspend (§4.11), rename (§4.12) and stop-all (§4.13).
extension DAGController {
    // MARK: - POST /dags/{fileName}/suspend (§4.11)

    func suspend(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        let body = try request.jsonObject()
        guard let flag = try DAGBodyFields.bool(body, "suspend", required: true) else { throw APIError.badRequest("suspend is required") }
        do {
            try environment.files.suspend(fileName: entry.fileName, flag)
        } catch {
            throw DAGBodyFields.mapped(error)
        }
        return JSONResponse.empty()
    }

    // MARK: - POST /dags/{fileName}/rename (§4.12)

    /// Checks, in order: 404 unknown DAG → 400 body (`newFileName` missing, invalid or
    /// reserved) → 409 the DAG has a running or queued run → 409 the target exists.
    func rename(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        let body = try request.jsonObject()
        guard let raw = try DAGBodyFields.string(body, "newFileName", required: true) else {
            throw APIError.badRequest("newFileName is required")
        }
        if raw.isEmpty { throw APIError.badRequest("newFileName must not be empty") }
        let newFileName = try DAGBodyFields.newFileName(raw, field: "newFileName")
        if try !runs(of: entry.dagName, where: \.isActive).isEmpty {
            throw APIError.conflict("DAG \(entry.fileName) has an active run")
        }
        do {
            try environment.files.rename(fileName: entry.fileName, to: newFileName)
        } catch {
            throw DAGBodyFields.mapped(error)
        }
        return JSONResponse.empty()
    }

    // MARK: - POST /dags/{fileName}/stop-all (§4.13)

    /// Requests a stop of every running run of the DAG's name (queued runs stay queued); one
    /// error per run whose stop could not be delivered.
    func stopAll(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        var errors: [JSONValue] = []
        for snapshot in try runs(of: entry.dagName, where: { $0 == .running }) {
            do {
                try environment.control.requestStop(snapshot.run, agentPID: snapshot.pid)
            } catch {
                errors.append(.string("dag-run \(snapshot.run.id): \(error)"))
            }
        }
        return JSONResponse.json(.object(JSONObject([("errors", .array(errors))])))
    }

    /// The latest snapshots (repaired when their agent died) of the root runs of `dagName` whose
    /// status satisfies `matches`, over the whole history. Only runs the index does not record
    /// as finished are read.
    func runs(of dagName: String, where matches: (RunStatus) -> Bool) throws -> [RunSnapshot] {
        var result: [RunSnapshot] = []
        var cursor: String?
        repeat {
            let page = try environment.runs.runs(dagName: dagName, limit: 500, cursor: cursor)
            for item in page.entries where item.status.isActive || item.status == .notStarted {
                if let snapshot = try environment.snapshot(of: item.run), matches(snapshot.status) {
                    result.append(snapshot)
                }
            }
            cursor = page.nextCursor
        } while cursor != nil
        return result
    }
}
