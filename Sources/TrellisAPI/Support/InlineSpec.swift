import Foundation
import TrellisCore

/// The inline spec of `POST /dag-runs` and `POST /dag-runs/enqueue` (API §6.2, §6.3): the DAG
/// name is the body's `name`, else the spec's `name:`; the spec must be valid.
enum InlineSpec {
    static func load(_ body: JSONObject) throws(APIError) -> (dag: DAG, spec: String) {
        guard case .string(let spec)? = body["spec"], !spec.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("spec is required")
        }
        var name: String?
        switch body["name"] {
        case nil, .null?: break
        case .string(let given)?:
            let trimmed = given.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { name = try Identifiers.dagName(trimmed) }
        default: throw APIError.badRequest("name must be a string")
        }
        if name == nil {
            // A stem that no `name:` can equal tells whether the spec declares its own name.
            let probeStem = ".no-name"
            if let declared = DAGLoader.load(text: spec, fileName: probeStem + ".yaml").dag?.name, declared != probeStem {
                name = declared
            }
        }
        guard let name else { throw APIError.badRequest("name is required when the spec has no name") }
        let dagName = try Identifiers.runName(name)
        let loaded = DAGLoader.load(text: spec, fileName: dagName + ".yaml")
        guard loaded.isValid, var dag = loaded.dag else {
            throw APIError.badRequest(loaded.errors.map(\.description).joined(separator: "; "))
        }
        dag.name = dagName
        return (dag, spec)
    }
}
