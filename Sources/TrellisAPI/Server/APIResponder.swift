import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TrellisCore

/// A route handler.
public typealias APIHandler = @Sendable (APIRequest) async throws -> Response

/// The one responder of the API: request id, mount path, authentication, routing, body limit
/// and error mapping (API §1, §2). Every response is JSON or empty; nothing is a 5xx for a
/// client mistake.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Path segments of the mount (`["api", "v1"]`).
    let mount: [String]
    let routes: RouteTable<APIHandler>
    let authenticator: Authenticator
    /// Paths (below the mount) that need no credentials.
    let publicPaths: Set<String>
    let logger: Logger

    /// Bodies above this are refused with 413 (API §1.2).
    static let maxBodyBytes = 8 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestID = request.headers[.xRequestID].flatMap { $0.isEmpty ? nil : $0 } ?? RunIDGenerator.uuidV7(now: Date())
        var response: Response
        do {
            response = try await route(request, requestID: requestID)
        } catch let error as APIError {
            response = JSONResponse.error(error)
        } catch {
            logger.error("request failed", metadata: ["request.id": "\(requestID)", "error": "\(error)"])
            var failure = APIError(.internalServerError, .internalError, "An unexpected error occurred")
            failure.details = JSONObject([("requestId", .string(requestID))])
            response = JSONResponse.error(failure)
        }
        response.headers[.xRequestID] = requestID
        return response
    }

    private func route(_ request: Request, requestID: String) async throws -> Response {
        guard let segments = Self.segments(of: request.uri.path) else {
            throw APIError.badRequest("the request path is not valid percent-encoded UTF-8")
        }
        guard segments.count >= mount.count, Array(segments.prefix(mount.count)) == mount else {
            throw APIError.notFound("no route for \(request.uri.path)")
        }
        let path = Array(segments.dropFirst(mount.count))
        let joined = "/" + path.joined(separator: "/")
        if !publicPaths.contains(joined), !authenticator.isAuthorized(request.headers[.authorization]) {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = authenticator.challenge
            headers[.contentLength] = "0"
            return Response(status: .unauthorized, headers: headers, body: ResponseBody())
        }
        switch routes.resolve(request.method, path) {
        case .notFound:
            throw APIError.notFound("no route for \(request.method.rawValue) \(joined)")
        case .methodNotAllowed(let allowed):
            var error = APIError(.methodNotAllowed, .badRequest, "method \(request.method.rawValue) is not allowed for \(joined)")
            error.headers = [(.allow, allowed.map(\.rawValue).joined(separator: ", "))]
            throw error
        case .found(let handler, let parameters):
            // `remoteNode` is checked on every endpoint (API §1.4).
            if let node = QueryParameters(request.uri.query ?? "")["remoteNode"], node != "local" {
                throw APIError.badRequest("remote nodes are not supported")
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.maxBodyBytes)
            } catch {
                throw APIError(.contentTooLarge, .badRequest, "the request body is larger than 8 MiB")
            }
            let input = APIRequest(method: request.method, parameters: parameters, query: QueryParameters(request.uri.query ?? ""),
                                   headers: request.headers, body: Array(buffer: body), requestID: requestID)
            return try await handler(input)
        }
    }

    /// Percent-decoded path segments; empty segments (and so a trailing `/`) are dropped.
    /// Decoding each segment after splitting keeps an encoded `/` inside its segment, where the
    /// identifier checks reject it.
    static func segments(of path: String) -> [String]? {
        var result: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = PercentDecoding.decode(String(raw)) else { return nil }
            result.append(decoded)
        }
        return result
    }
}

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-Id")!
}
