import Foundation
import Hummingbird
import TrellisCore

/// `POST /dags/{fileName}/start-sync` (API §4.9): start like §4.8, then wait for the end.
extension DAGController {
    /// `timeout` bounds (seconds).
    static let syncTimeoutRange = 1...86400

    /// Checks as §4.8 (with `timeout` required, 1–86400), starts the run directly, then polls
    /// its latest snapshot — every 100 ms at first, the interval doubling up to 2 s — until it
    /// is no longer active. **200** `{dagRun}`; **408** `timeout` with `dagRunId` (the run goes on).
    func startSync(_ request: APIRequest) async throws -> Response {
        let entry = try entry(request)
        guard entry.isValid, let dag = entry.load.dag else {
            throw APIError.badRequest(entry.errors.map(\.description).joined(separator: "; "))
        }
        let object = try request.jsonObject()
        let body = try Self.startBody(object)
        guard let timeout = try DAGBodyFields.int(object, "timeout", required: true) else {
            throw APIError.badRequest("timeout is required")
        }
        guard Self.syncTimeoutRange.contains(timeout) else {
            throw APIError.badRequest("timeout must be between 1 and 86400 seconds, got \(timeout)")
        }
        var snapshot = try await startDirect(entry, dag: dag, body: body)
        let run = snapshot.run
        let runID = run.id

        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        var interval = Duration.milliseconds(100)
        while snapshot.status.isActive || snapshot.status == .notStarted {
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                var error = APIError(
                    .requestTimeout, .timeout,
                    "timeout waiting for DAG \(run.name) to complete after \(timeout) seconds; DAG run continues in background",
                    details: JSONObject([("dagRunId", .string(runID))]))
                error.extra = [("dagRunId", .string(runID))]
                throw error
            }
            try await Task.sleep(for: min(interval, remaining))
            interval = min(interval * 2, .seconds(2))
            if let latest = try environment.snapshot(of: run) { snapshot = latest }
        }
        return JSONResponse.json(.object(JSONObject([
            ("dagRun", RunDTO.details(snapshot, dag: dag, zone: zone, specFromFile: true, sourceFileName: entry.fileName)),
        ])))
    }
}
