import TrellisCore

/// Small builders for the OpenAPI 3.0 document: schemas, parameters, responses and operations,
/// each a ``JSONValue`` in the order it is written.
enum OAS {
    // MARK: - Schemas

    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/" + name)]
    }

    static func string(_ description: String? = nil, format: String? = nil, pattern: String? = nil,
                       values: [String]? = nil, minLength: Int? = nil, maxLength: Int? = nil,
                       default defaultValue: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": "string"]
        object["format"] = format.map(JSONValue.string)
        object["pattern"] = pattern.map(JSONValue.string)
        object["enum"] = values.map { .array($0.map(JSONValue.string)) }
        object["minLength"] = minLength.map(JSONValue.integer)
        object["maxLength"] = maxLength.map(JSONValue.integer)
        object["default"] = defaultValue.map(JSONValue.string)
        return described(.object(object), description)
    }

    /// An integer; `format` is `int64` for query parameters (their values are Swift `Int`s).
    static func integer(_ description: String? = nil, format: String? = nil, minimum: Int? = nil, maximum: Int? = nil,
                        default defaultValue: Int? = nil) -> JSONValue {
        var object: JSONObject = ["type": "integer"]
        object["format"] = format.map(JSONValue.string)
        object["minimum"] = minimum.map(JSONValue.integer)
        object["maximum"] = maximum.map(JSONValue.integer)
        object["default"] = defaultValue.map(JSONValue.integer)
        return described(.object(object), description)
    }

    static func number(_ description: String? = nil) -> JSONValue {
        described(["type": "number"], description)
    }

    static func boolean(_ description: String? = nil) -> JSONValue {
        described(["type": "boolean"], description)
    }

    static func array(_ items: JSONValue, _ description: String? = nil) -> JSONValue {
        described(["type": "array", "items": items], description)
    }

    /// `string[]` (always present, `[]` when empty).
    static func strings(_ description: String? = nil) -> JSONValue {
        array(string(), description)
    }

    /// `int[]`.
    static func integers(_ description: String? = nil) -> JSONValue {
        array(integer(), description)
    }

    /// An object with `properties` in order; `required` is omitted when empty (OpenAPI 3.0 needs
    /// at least one entry). Other members are allowed: clients ignore fields they do not know.
    static func object(_ properties: JSONObject, required: [String] = [], _ description: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": "object"]
        if !required.isEmpty { object["required"] = .array(required.map(JSONValue.string)) }
        object["properties"] = .object(properties)
        return described(.object(object), description)
    }

    /// An object with arbitrary members (`additionalProperties` of `values`, or anything).
    static func map(_ values: JSONValue? = nil, _ description: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": "object"]
        object["additionalProperties"] = values ?? .bool(true)
        return described(.object(object), description)
    }

    static func anyOf(_ schemas: [JSONValue], _ description: String? = nil) -> JSONValue {
        described(["anyOf": .array(schemas)], description)
    }

    /// Any JSON value (no `type`).
    static func any(_ description: String? = nil) -> JSONValue {
        described(.object(JSONObject()), description)
    }

    /// The schema with `nullable: true` (request fields where `null` means absent, §1.2).
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        object["nullable"] = true
        return .object(object)
    }

    /// The schema with a `description` (unless `nil`); a `$ref` is wrapped in `allOf`, since
    /// OpenAPI 3.0 ignores the siblings of a `$ref`.
    static func described(_ schema: JSONValue, _ description: String?) -> JSONValue {
        guard let description, var object = schema.objectValue else { return schema }
        if object["$ref"] != nil { return ["allOf": [schema], "description": .string(description)] }
        object["description"] = .string(description)
        return .object(object)
    }

    /// RFC 3339 at second precision with a `Z` or `±hh:mm` offset (run and node times, §1.3).
    static let runTimePattern = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$"#

    /// A required run or node time: RFC 3339 at second precision, `""` when unset.
    static func runTime(_ description: String) -> JSONValue {
        string(description + " RFC 3339 at second precision in the configured zone; \"\" when unset.",
               pattern: #"^$|"# + runTimePattern)
    }

    /// An optional run or node time (omitted when unset).
    static func optionalRunTime(_ description: String) -> JSONValue {
        string(description + " RFC 3339 at second precision in the configured zone; omitted when unset.",
               pattern: runTimePattern)
    }

    /// Any RFC 3339 date-time (fractional seconds allowed).
    static func dateTime(_ description: String) -> JSONValue {
        string(description, format: "date-time")
    }

    // MARK: - Parameters

    /// `{"$ref": "#/components/parameters/<name>"}`.
    static func parameterRef(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/parameters/" + name)]
    }

    static func query(_ name: String, _ schema: JSONValue, _ description: String, required: Bool = false,
                      deprecated: Bool = false) -> JSONValue {
        var object: JSONObject = ["name": .string(name), "in": "query", "description": .string(description)]
        if required { object["required"] = true }
        if deprecated { object["deprecated"] = true }
        object["schema"] = schema
        return .object(object)
    }

    /// An integer query parameter whose out-of-range values the server clamps (so no
    /// `minimum`/`maximum`: such values are accepted, not rejected).
    static func clampedInteger(_ name: String, default defaultValue: Int, _ description: String) -> JSONValue {
        query(name, integer(format: "int64", default: defaultValue),
              description + " A value that is not an integer → 400.")
    }

    static func path(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": schema]
    }

    // MARK: - Responses

    /// `{"$ref": "#/components/responses/<name>"}`.
    static func responseRef(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/responses/" + name)]
    }

    /// `X-Request-Id`, on every response (§1.1).
    static var requestIDHeader: JSONObject {
        ["X-Request-Id": ["$ref": "#/components/headers/X-Request-Id"]]
    }

    /// `X-Request-Id` and the shared header `name`.
    static func headers(adding name: String) -> JSONValue {
        var headers = requestIDHeader
        headers[name] = ["$ref": .string("#/components/headers/" + name)]
        return .object(headers)
    }

    /// A JSON response (`application/json; charset=utf-8`).
    static func json(_ schema: JSONValue, _ description: String) -> JSONValue {
        [
            "description": .string(description),
            "headers": .object(requestIDHeader),
            "content": ["application/json": ["schema": schema]],
        ]
    }

    /// A JSON response whose body is the component schema `name`.
    static func json(_ name: String, _ description: String) -> JSONValue {
        json(ref(name), description)
    }

    /// A response without a body (`Content-Length: 0`).
    static func empty(_ description: String) -> JSONValue {
        ["description": .string(description), "headers": .object(requestIDHeader)]
    }

    /// The shared error responses by status.
    static let errorResponses: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 404: "NotFound", 405: "MethodNotAllowed", 408: "RequestTimeout",
        409: "Conflict", 413: "ContentTooLarge", 500: "InternalError", 503: "ServiceUnavailable", 504: "GatewayTimeout",
    ]

    /// A JSON request body; `required` when the body must carry a required field.
    static func body(_ name: String, required: Bool, _ description: String) -> JSONValue {
        [
            "description": .string(description),
            "required": .bool(required),
            "content": ["application/json": ["schema": ref(name)]],
        ]
    }

    // MARK: - Operations

    /// An operation. Every authenticated operation can answer 400 (bad identifier, parameter or
    /// body, undecodable path), 401 (credentials, when auth is on), 413 (body over 8 MiB) and
    /// 500 (unexpected failure); `errors` adds the others. Public operations get `security: []`
    /// and only 413 besides `errors`.
    static func operation(_ id: String, tag: String, summary: String, description: String? = nil,
                          parameters: [JSONValue] = [], body: JSONValue? = nil,
                          responses: [(String, JSONValue)], errors: [Int] = [], isPublic: Bool = false) -> JSONValue {
        var object: JSONObject = ["operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary)]
        object["description"] = description.map(JSONValue.string)
        if isPublic { object["security"] = [] }
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        object["requestBody"] = body
        var all = JSONObject(responses)
        let common = isPublic ? [413] : [400, 401, 413, 500]
        for status in Set(common + errors).sorted() where all[String(status)] == nil {
            if let name = errorResponses[status] { all[String(status)] = responseRef(name) }
        }
        object["responses"] = .object(JSONObject(all.entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        return .object(object)
    }
}
