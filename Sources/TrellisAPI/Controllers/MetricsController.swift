import Foundation
import HTTPTypes
import Hummingbird
import TrellisCore

/// `GET /metrics` (API §3.3): the Prometheus text format of the environment's exporter. Public
/// only with `metrics: public` (the responder's public paths); 404 when no exporter is set.
struct MetricsController {
    /// The environment's exporter (`APIEnvironment.metrics`).
    let exporter: (any MetricsExposing)?

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(in table: inout RouteTable<APIHandler>) {
        let exporter = exporter
        table.add(.get, "/metrics") { _ in
            guard let exporter else { throw APIError.notFound("metrics are not enabled on this server") }
            return Self.text(exporter.exposition())
        }
    }

    static func text(_ body: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(body)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
