import TrellisCore

/// Typed fields of a request body (API §1.2): `null` = absent, unknown fields ignored, a wrong
/// JSON type or a missing required field → 400 naming the field.
enum DAGBodyFields {
    /// File stems the API refuses to create: static routes under `/dags/` (API §1.4).
    static let reservedNames: Set<String> = ["search", "labels", "tags", "validate"]

    static func string(_ object: JSONObject, _ key: String, required: Bool = false) throws(APIError) -> String? {
        switch object[key] {
        case nil, .null?:
            if required { throw APIError.badRequest("\(key) is required") }
            return nil
        case .string(let text)?: return text
        default: throw APIError.badRequest("\(key) must be a string")
        }
    }

    static func bool(_ object: JSONObject, _ key: String, required: Bool = false) throws(APIError) -> Bool? {
        switch object[key] {
        case nil, .null?:
            if required { throw APIError.badRequest("\(key) is required") }
            return nil
        case .bool(let flag)?: return flag
        default: throw APIError.badRequest("\(key) must be a boolean")
        }
    }

    /// An integer (`5` or `5.0`); a fraction, a string or another type → 400.
    static func int(_ object: JSONObject, _ key: String, required: Bool = false) throws(APIError) -> Int? {
        switch object[key] {
        case nil, .null?:
            if required { throw APIError.badRequest("\(key) is required") }
            return nil
        case let value?:
            guard let number = value.intValue else { throw APIError.badRequest("\(key) must be an integer") }
            return number
        }
    }

    /// A new DAG file stem given in field `field`: the rules of API §1.4 (messages as for path
    /// parameters, naming the field), not reserved, and not a dotfile (the catalog ignores
    /// those, so the DAG would be written but never served).
    static func newFileName(_ value: String, field: String) throws(APIError) -> String {
        if value.count > 40 { throw APIError.badRequest("\(field) must be at most 40 characters") }
        guard NameRules.isValidDAGName(value) else {
            throw APIError.badRequest("\(field) must only contain alphanumeric characters, dashes, dots, and underscores")
        }
        if reservedNames.contains(value) {
            throw APIError.badRequest("\(field) \"\(value)\" is reserved: search, labels, tags and validate cannot be DAG file names")
        }
        if value.hasPrefix(".") {
            throw APIError.badRequest("\(field) must not start with \".\" (hidden files are not DAG files)")
        }
        return value
    }

    /// Maps a file change failure: exists → 409, not found → 404; I/O failures stay unexpected
    /// errors (a generic 500 with the cause in the server log).
    static func mapped(_ error: DAGFileError) -> any Error {
        switch error.code {
        case .exists: return APIError.conflict(error.message)
        case .notFound: return APIError.notFound(error.message)
        case .io: return error
        }
    }
}
