import Foundation
import Testing
import TrellisCore

/// One property of a request-body schema of the served `/openapi.json`, as much of it as the
/// body fuzz needs to build a plausible value and to know which values are the wrong type.
struct BodyFuzzField: CustomStringConvertible {
    var name: String
    /// The declared `type` (`string`, `integer`, …); `nil` = any JSON value.
    var type: String? = nil
    /// The declared `type` of array items.
    var itemType: String? = nil
    var required: Bool
    var nullable: Bool
    var minimum: Int? = nil
    var maximum: Int? = nil

    var description: String { name }

    /// Whether `value` is of a JSON type the schema does not allow (or `null` for a required
    /// field): the API must answer 400 (API §1.2). Range checks for integers with bounds too.
    func refuses(_ value: BodyFuzzValue.Kind) -> Bool {
        guard let type else { return false }
        switch value {
        case .malformed: return true
        case .null: return required && !nullable
        case .bool: return type != "boolean"
        case .string: return type != "string"
        case .object: return type != "object"
        case .integer(let number):
            if type == "integer" {
                if let minimum, number < minimum { return true }
                if let maximum, number > maximum { return true }
                return false
            }
            return type != "number"
        case .number(let number):
            if type == "number" { return false }
            guard type == "integer", number.rounded() == number else { return true }
            if let minimum, number < Double(minimum) { return true }
            if let maximum, number > Double(maximum) { return true }
            return false
        case .array(let items):
            guard type == "array" else { return true }
            guard let itemType else { return false }
            return items.contains { item in
                switch item {
                case .string: itemType != "string"
                case .integer: itemType != "integer" && itemType != "number"
                case .bool: itemType != "boolean"
                default: true
                }
            }
        }
    }
}

/// An operation of `/openapi.json` that takes a JSON body, with the fields of its schema.
struct BodyFuzzOperation: CustomStringConvertible {
    var operation: OpenAPIOperation
    var schemaName: String
    var bodyRequired: Bool
    var fields: [BodyFuzzField]

    var description: String { operation.description }
    var method: String { operation.method }
    var template: String { operation.template }

    /// Every operation of `document` with a `requestBody`, its schema resolved through `$ref`.
    static func all(in document: JSONValue) throws -> [BodyFuzzOperation] {
        let schemas = try #require(document["components"]?["schemas"]?.objectValue)
        let paths = try #require(document["paths"]?.objectValue)
        var result: [BodyFuzzOperation] = []
        for operation in try OpenAPIOperation.all(in: document) where operation.hasBody {
            let body = try #require(paths[operation.template]?[operation.method.lowercased()]?["requestBody"])
            let reference = try #require(body["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue,
                                         "\(operation): the body schema is a $ref")
            let name = String(reference.split(separator: "/").last ?? "")
            let schema = try #require(schemas[name], "\(operation): schema \(name)")
            let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            let fields = (schema["properties"]?.objectValue?.entries ?? []).map { entry in
                BodyFuzzField(name: entry.key, type: entry.value["type"]?.stringValue,
                              itemType: entry.value["items"]?["type"]?.stringValue,
                              required: required.contains(entry.key),
                              nullable: entry.value["nullable"]?.boolValue == true,
                              minimum: entry.value["minimum"]?.intValue, maximum: entry.value["maximum"]?.intValue)
            }
            result.append(BodyFuzzOperation(operation: operation, schemaName: name,
                                            bodyRequired: body["required"]?.boolValue == true, fields: fields))
        }
        return result
    }
}
