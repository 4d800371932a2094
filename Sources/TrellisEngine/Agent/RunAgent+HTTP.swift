import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TrellisCore

extension RunAgent {
    /// The `http` step type (§7.3): one request; the response goes to the step's stdout log.
    func runHTTPStep(_ step: Step, scope: SubstitutionScope) async -> ExecutionResult {
        guard let spec = step.http else { return ExecutionResult(exitCode: 1, error: "http step without a request") }
        let logs = logPaths(step.name)
        var record = node(step.name)
        record.stdout = logs.out
        record.stderr = logs.err
        update(record)
        let substitutor = Substitutor(scope: scope, commands: substitutionRunner(scope: scope, workingDirectory: workingDirectory))
        let request: URLRequest
        do {
            request = try await HTTPStepRequest.build(spec, substitute: { try await substitutor.substitute($0, mode: .full) })
        } catch {
            LogFiles.appendText("\(error)\n", to: logs.err)
            return ExecutionResult(exitCode: 1, error: "\(error)")
        }
        let timeout = step.timeoutSec > 0 ? Double(step.timeoutSec) : (spec.timeoutSec > 0 ? Double(spec.timeoutSec) : 0)
        let configuration = URLSessionConfiguration.ephemeral
        if spec.timeoutSec > 0 { configuration.timeoutIntervalForRequest = Double(spec.timeoutSec) }
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                return ExecutionResult(exitCode: 1, error: "not an HTTP response")
            }
            let expected = spec.expectedStatus.isEmpty ? nil : spec.expectedStatus
            let ok = expected?.contains(http.statusCode) ?? (200..<300).contains(http.statusCode)
            let text = HTTPStepRequest.render(http, body: data, silent: spec.silent && ok, json: spec.json)
            LogFiles.appendText(text, to: logs.out)
            var result = ExecutionResult(exitCode: ok ? 0 : 1, error: ok ? nil : "unexpected HTTP status \(http.statusCode)")
            let limit = self.request.dag.maxOutputSize
            result.stdout = text
            result.stdoutTruncated = step.output != nil && text.utf8.count > limit
            return result
        } catch {
            let message = (error as? URLError)?.code == .timedOut && timeout > 0
                ? "HTTP request timed out after \(Int(timeout)) s" : "HTTP request failed: \(error.localizedDescription)"
            LogFiles.appendText(message + "\n", to: logs.err)
            return ExecutionResult(exitCode: 1, error: message)
        }
    }
}

/// Builds and renders HTTP step requests.
enum HTTPStepRequest {
    static func build(_ spec: HTTPSpec, substitute: (String) async throws -> String) async throws -> URLRequest {
        let urlText = try await substitute(spec.url)
        guard var components = URLComponents(string: urlText), components.scheme == "http" || components.scheme == "https" else {
            throw RunAgentError("invalid URL \"\(urlText)\"")
        }
        if !spec.query.isEmpty {
            var items = components.queryItems ?? []
            for entry in spec.query { items.append(URLQueryItem(name: entry.name, value: try await substitute(entry.value))) }
            components.queryItems = items
        }
        guard let url = components.url else { throw RunAgentError("invalid URL \"\(urlText)\"") }
        var request = URLRequest(url: url)
        request.httpMethod = spec.method
        for header in spec.headers {
            request.setValue(try await substitute(header.value), forHTTPHeaderField: header.name)
        }
        if let body = spec.body { request.httpBody = Data(try await substitute(body).utf8) }
        return request
    }

    /// Status line, headers, blank line, body; only the body when `silent`; JSON when `json`.
    static func render(_ response: HTTPURLResponse, body: Data, silent: Bool, json: Bool) -> String {
        let bodyText = String(decoding: body, as: UTF8.self)
        let headers = response.allHeaderFields.compactMap { key, value -> (String, String)? in
            guard let key = key as? String else { return nil }
            return (key, "\(value)")
        }.sorted { $0.0 < $1.0 }
        if json {
            let parsedBody = (try? JSONValue.parse(bodyText)) ?? .string(bodyText)
            let object = JSONValue.object(JSONObject([
                ("status_code", .integer(response.statusCode)),
                ("headers", .object(JSONObject(headers.map { ($0.0, JSONValue.string($0.1)) }))),
                ("body", parsedBody),
            ]))
            return object.serialized() + "\n"
        }
        if silent { return bodyText.hasSuffix("\n") ? bodyText : bodyText + "\n" }
        var text = "HTTP/1.1 \(response.statusCode) \(HTTPURLResponse.localizedString(forStatusCode: response.statusCode))\n"
        for (key, value) in headers { text += "\(key): \(value)\n" }
        return text + "\n" + bodyText + (bodyText.hasSuffix("\n") ? "" : "\n")
    }
}
