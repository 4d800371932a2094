import Foundation
import Testing
import TrellisCore

/// The operations of the served `/openapi.json`, for tests that walk every one of them.
struct OpenAPIOperation: CustomStringConvertible {
    var method: String
    /// The path template below the mount (`/dags/{fileName}`).
    var template: String
    var pathParameters: [String]
    var queryParameters: [String]
    var hasBody: Bool

    var description: String { method + " " + template }

    /// The path with every `{name}` replaced by `values[name]` (as is: the caller encodes).
    func path(_ values: [String: String]) -> String {
        var path = template
        for name in pathParameters { path = path.replacingOccurrences(of: "{\(name)}", with: values[name] ?? "x") }
        return path
    }

    /// Every operation of `document`, in document order.
    static func all(in document: JSONValue) throws -> [OpenAPIOperation] {
        let paths = try #require(document["paths"]?.objectValue)
        let shared = document["components"]?["parameters"]?.objectValue
        func resolve(_ parameter: JSONValue) -> JSONValue {
            guard let ref = parameter["$ref"]?.stringValue else { return parameter }
            return shared?[String(ref.split(separator: "/").last ?? "")] ?? parameter
        }
        var operations: [OpenAPIOperation] = []
        for (template, item) in paths.entries {
            let common = (item["parameters"]?.arrayValue ?? []).map(resolve)
            for (method, operation) in item.objectValue?.entries ?? [] where method != "parameters" {
                let parameters = common + (operation["parameters"]?.arrayValue ?? []).map(resolve)
                operations.append(OpenAPIOperation(
                    method: method.uppercased(), template: template,
                    pathParameters: parameters.filter { $0["in"] == "path" }.compactMap { $0["name"]?.stringValue },
                    queryParameters: parameters.filter { $0["in"] == "query" }.compactMap { $0["name"]?.stringValue },
                    hasBody: operation["requestBody"] != nil))
            }
        }
        return operations
    }

    /// Every file under `directory` (recursively) whose bytes contain one of `secrets`: relative paths.
    static func files(under directory: String, containing secrets: [String]) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: directory + "/" + relative) else { continue }
            if secrets.contains(where: { data.range(of: Data($0.utf8)) != nil }) { found.append(relative) }
        }
        return found
    }
}
