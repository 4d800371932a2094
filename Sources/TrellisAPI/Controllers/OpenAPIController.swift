import Foundation
import TrellisCore

/// `GET /openapi.json` (API §3.2): the OpenAPI document with `servers` = the mount path.
struct OpenAPIController {
    let settings: APIServerSettings

    func register(in table: inout RouteTable<APIHandler>) {
        // Built once: the document depends only on the mount path.
        let document = OpenAPIDocument.json(serverURL: settings.mountPath)
        table.add(.get, "/openapi.json") { _ in JSONResponse.json(document) }
    }
}
