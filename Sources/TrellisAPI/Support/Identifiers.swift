import TrellisCore

/// Path identifier checks of API §1.4, applied after percent-decoding and before anything
/// touches the file system.
enum Identifiers {
    /// `{fileName}` / `{name}`.
    static func dagName(_ value: String) throws(APIError) -> String {
        if value.count > 40 { throw APIError.badRequest("name must be at most 40 characters") }
        guard NameRules.isValidDAGName(value) else {
            throw APIError.badRequest("name must only contain alphanumeric characters, dashes, dots, and underscores")
        }
        return value
    }

    /// A DAG name runs are recorded under (a start's `dagName`, an inline spec's name): a valid
    /// `{name}` that is also a folder the run store accepts, so not one starting with a dot
    /// (`.hidden`, `...`), which would otherwise fail deep in the store as a 500.
    static func runName(_ value: String) throws(APIError) -> String {
        let name = try dagName(value)
        if name.hasPrefix(".") { throw APIError.badRequest("a DAG name for runs must not start with a dot") }
        return name
    }

    /// `{dagRunId}`; `latest` passes through when allowed.
    static func runID(_ value: String, allowLatest: Bool = false) throws(APIError) -> String {
        if allowLatest && value == "latest" { return value }
        guard NameRules.isValidRunID(value) else {
            throw APIError.badRequest("dagRunId must be 1-64 characters of letters, digits, \"-\" and \"_\"")
        }
        return value
    }

    /// `remoteNode` (absent or `local`) and `workspace` (accepted, checked, ignored).
    static func checkCommon(_ query: QueryParameters) throws(APIError) {
        if let node = query["remoteNode"], !node.isEmpty, node != "local" {
            throw APIError.badRequest("remote nodes are not supported")
        }
        if let workspace = query["workspace"], !workspace.isEmpty {
            let valid = workspace.count <= 64 && workspace.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            }
            if !valid { throw APIError.badRequest("workspace must match ^[A-Za-z0-9_-]{1,64}$") }
        }
    }
}
