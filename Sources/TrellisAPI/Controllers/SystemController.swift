import Foundation
import TrellisCore

/// `GET /health` (API §3.1).
struct SystemController {
    let settings: APIServerSettings
    let environment: APIEnvironment

    func register(in table: inout RouteTable<APIHandler>) {
        let settings = settings
        let environment = environment
        table.add(.get, "/health") { _ in
            let now = environment.now()
            return JSONResponse.json(.object(JSONObject([
                ("status", .string("healthy")),
                ("version", .string(settings.version.isEmpty ? "dev" : settings.version)),
                ("uptime", .integer(max(0, Int(now.timeIntervalSince(environment.startedAt))))),
                ("timestamp", .string(APITime.format(now, in: settings.timeZone))),
            ])))
        }
    }
}
