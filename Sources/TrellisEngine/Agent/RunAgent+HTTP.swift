import Foundation
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
        let request: HTTPStepClient.Request
        do {
            request = try await HTTPStepRequest.build(spec, substitute: { try await substitutor.substitute($0, mode: .full) })
        } catch {
            LogFiles.appendText("\(error)\n", to: logs.err)
            return ExecutionResult(exitCode: 1, error: "\(error)")
        }
        let timeout = [spec.timeoutSec, step.timeoutSec].filter { $0 > 0 }.min() ?? 0
        let response: HTTPStepResponse
        do {
            response = try await HTTPStepClient.perform(request, timeoutSec: timeout)
        } catch {
            LogFiles.appendText(error.message + "\n", to: logs.err)
            return ExecutionResult(exitCode: 1, error: error.message)
        }
        let expected = spec.expectedStatus.isEmpty ? nil : spec.expectedStatus
        let ok = expected?.contains(response.status) ?? (200..<300).contains(response.status)
        let text = HTTPStepRequest.render(response, silent: spec.silent && ok, json: spec.json)
        LogFiles.appendText(text, to: logs.out)
        var result = ExecutionResult(exitCode: ok ? 0 : 1, error: ok ? nil : "unexpected HTTP status \(response.status)")
        let limit = self.request.dag.maxOutputSize
        result.stdout = text
        result.stdoutTruncated = step.output != nil && text.utf8.count > limit
        return result
    }
}

/// Builds and renders HTTP step requests.
enum HTTPStepRequest {
    static func build(_ spec: HTTPSpec, substitute: (String) async throws -> String) async throws -> HTTPStepClient.Request {
        let urlText = try await substitute(spec.url)
        guard var components = URLComponents(string: urlText), components.scheme == "http" || components.scheme == "https",
              components.host?.isEmpty == false else {
            throw RunAgentError("invalid URL \"\(urlText)\"")
        }
        if !spec.query.isEmpty {
            var items = components.queryItems ?? []
            for entry in spec.query { items.append(URLQueryItem(name: entry.name, value: try await substitute(entry.value))) }
            components.queryItems = items
        }
        guard let url = components.string else { throw RunAgentError("invalid URL \"\(urlText)\"") }
        var headers: [(String, String)] = []
        for header in spec.headers {
            let value = try await substitute(header.value)
            guard !header.name.contains(where: { $0 == ":" || $0.isNewline }), !value.contains(where: \.isNewline) else {
                throw RunAgentError("invalid HTTP header \"\(header.name)\"")
            }
            headers.append((header.name, value))
        }
        let body = try await spec.body.asyncMap { Data(try await substitute($0).utf8) }
        return HTTPStepClient.Request(method: spec.method, url: url, headers: headers, body: body)
    }

    /// Status line, headers, blank line, body; only the body when `silent`; JSON when `json`.
    static func render(_ response: HTTPStepResponse, silent: Bool, json: Bool) -> String {
        let bodyText = String(decoding: response.body, as: UTF8.self)
        let headers = response.headers.sorted { $0.name < $1.name }
        if json {
            let parsedBody = (try? JSONValue.parse(bodyText)) ?? .string(bodyText)
            let object = JSONValue.object(JSONObject([
                ("status_code", .integer(response.status)),
                ("headers", .object(JSONObject(headers.map { ($0.name, JSONValue.string($0.value)) }))),
                ("body", parsedBody),
            ]))
            return object.serialized() + "\n"
        }
        if silent { return bodyText.hasSuffix("\n") ? bodyText : bodyText + "\n" }
        var text = "HTTP/1.1 \(response.status) \(response.reason)\n"
        for header in headers { text += "\(header.name): \(header.value)\n" }
        return text + "\n" + bodyText + (bodyText.hasSuffix("\n") ? "" : "\n")
    }
}
