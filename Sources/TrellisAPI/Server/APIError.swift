import HTTPTypes
import TrellisCore

/// An API failure: the error object of API §1.5 with its HTTP status.
public struct APIError: Error, Sendable {
    /// The error codes of API §1.5 (Dagu's list).
    public enum Code: String, Sendable {
        case badRequest = "bad_request"
        case notFound = "not_found"
        case alreadyExists = "already_exists"
        case notRunning = "not_running"
        case timeout
        case internalError = "internal_error"
        case unauthorized
    }

    public var status: HTTPResponse.Status
    public var code: Code
    public var message: String
    public var details: JSONObject?
    /// Extra top-level fields (start-sync's `dagRunId` on 408).
    public var extra: [(String, JSONValue)] = []
    /// Extra response headers (`Allow` on 405).
    public var headers: [(HTTPField.Name, String)] = []

    public init(_ status: HTTPResponse.Status, _ code: Code, _ message: String, details: JSONObject? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, .badRequest, message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, .notFound, message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, .alreadyExists, message) }

    /// The JSON body.
    public var body: JSONValue {
        var entries: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
        if let details { entries.append(("details", .object(details))) }
        entries += extra
        return .object(JSONObject(entries))
    }
}
