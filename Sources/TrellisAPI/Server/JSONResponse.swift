import Foundation
import HTTPTypes
import Hummingbird
import TrellisCore

/// Builds responses: JSON bodies (`application/json; charset=utf-8`) and empty ones.
public enum JSONResponse {
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(value.serialized())
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// "200, empty body": `Content-Length: 0`.
    public static func empty(_ status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    public static func error(_ error: APIError) -> Response {
        var response = json(error.body, status: error.status)
        for (name, value) in error.headers { response.headers[name] = value }
        return response
    }
}
