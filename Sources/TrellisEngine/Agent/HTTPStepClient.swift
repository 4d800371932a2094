import CTrellisSystem
import Foundation

/// A response of an `http` step: status, reason phrase, headers (duplicates joined with ", ",
/// as a client library would present them) and body.
struct HTTPStepResponse: Sendable {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: Data
}

/// Why an `http` step's request got no response.
struct HTTPStepError: Error, Sendable, Hashable {
    var message: String
}

/// Makes `http` step requests with libcurl, which the C side loads on first use
/// (`trellis_http_perform`): no trellis process loads an HTTP stack it does not use.
enum HTTPStepClient {
    struct Request: Sendable {
        var method: String
        var url: String
        var headers: [(String, String)]
        var body: Data?
    }

    /// Performs `request` on a thread of its own (the call blocks until the response or the
    /// timeout; `timeoutSec` 0 means none).
    static func perform(_ request: Request, timeoutSec: Int) async throws(HTTPStepError) -> HTTPStepResponse {
        let outcome: Result<HTTPStepResponse, HTTPStepError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: performBlocking(request, timeoutSec: timeoutSec))
            }
            thread.name = "trellis-http"
            thread.start()
        }
        return try outcome.get()
    }

    private static func performBlocking(_ request: Request, timeoutSec: Int) -> Result<HTTPStepResponse, HTTPStepError> {
        var response = trellis_http_response()
        let lines = request.headers.map { "\($0.0): \($0.1)" }
        let body = request.body ?? Data()
        let code: Int32 = withCStrings(lines) { headers in
            body.withUnsafeBytes { bytes in
                trellis_http_perform(request.method, request.url, headers, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                                     body.count, request.body == nil ? 0 : 1, timeoutSec * 1000, &response)
            }
        }
        defer { trellis_http_response_free(&response) }
        guard code == 0 else {
            let detail = withUnsafeBytes(of: response.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if response.timed_out != 0 && timeoutSec > 0 {
                return .failure(HTTPStepError(message: "HTTP request timed out after \(timeoutSec) s"))
            }
            return .failure(HTTPStepError(message: "HTTP request failed: \(detail)"))
        }
        let headerBlock = response.headers.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: response.headers_length), as: UTF8.self) } ?? ""
        let bodyData = response.body.map { Data(bytes: $0, count: response.body_length) } ?? Data()
        let head = parseHeaderBlock(headerBlock)
        return .success(HTTPStepResponse(status: Int(response.status), reason: head.reason ?? reasonPhrase(Int(response.status)),
                                         headers: head.headers, body: bodyData))
    }

    /// The reason phrase of the status line (`nil` when the server sent none, as HTTP/2 does)
    /// and the headers, in order, same-named ones (case-insensitively) joined with ", " under
    /// the first spelling.
    static func parseHeaderBlock(_ block: String) -> (reason: String?, headers: [(name: String, value: String)]) {
        var reason: String?
        var headers: [(name: String, value: String)] = []
        var index: [String: Int] = [:]
        for rawLine in block.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.hasPrefix("HTTP/") {
                let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
                reason = parts.count == 3 ? String(parts[2]) : nil
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            if let at = index[name.lowercased()] {
                headers[at].value += ", " + value
            } else {
                index[name.lowercased()] = headers.count
                headers.append((name, value))
            }
        }
        return (reason, headers)
    }

    /// The standard reason phrase of `status` (RFC 9110), for status lines that carry none.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }

    /// `body` with a NULL-terminated array of C strings for `strings`.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
