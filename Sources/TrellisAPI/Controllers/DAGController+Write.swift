import Foundation
import Hummingbird
import TrellisCore

/// The DAG file endpoints of API §4: create (§4.2), validate (§4.3), delete (§4.5) and
/// update the spec (§4.7). Every change goes through `environment.files`, which refreshes the
/// catalog before returning (read-your-writes).
extension DAGController {
    /// The text of a DAG created without a spec (API §4.2).
    static let defaultSpec = "steps:\n  - command: echo hello\n"
    /// The DAG name `POST /dags/validate` uses when neither the body nor the spec names one.
    static let defaultValidationName = "validated-dag"

    /// The write routes of §4.2–§4.13 (create, validate, delete, spec, suspend, rename,
    /// stop-all, start-sync).
    func registerWriteRoutes(in table: inout RouteTable<APIHandler>) {
        table.add(.post, "/dags") { request in try create(request) }
        table.add(.post, "/dags/validate") { request in try validate(request) }
        table.add(.delete, "/dags/{fileName}") { request in try delete(request) }
        table.add(.put, "/dags/{fileName}/spec") { request in try updateSpec(request) }
        table.add(.post, "/dags/{fileName}/suspend") { request in try suspend(request) }
        table.add(.post, "/dags/{fileName}/rename") { request in try rename(request) }
        table.add(.post, "/dags/{fileName}/stop-all") { request in try stopAll(request) }
        table.add(.post, "/dags/{fileName}/start-sync") { request in try await startSync(request) }
    }

    // MARK: - POST /dags (§4.2)

    func create(_ request: APIRequest) throws -> Response {
        let body = try request.jsonObject()
        guard let rawName = try DAGBodyFields.string(body, "name", required: true) else { throw APIError.badRequest("name is required") }
        if rawName.isEmpty { throw APIError.badRequest("DAG name must not be empty") }
        let name = try DAGBodyFields.newFileName(rawName, field: "name")
        let spec = try DAGBodyFields.string(body, "spec") ?? ""
        let text: String
        if spec.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            text = Self.defaultSpec
        } else {
            let load = DAGLoader.load(text: spec, fileName: name + ".yaml")
            guard load.isValid else { throw APIError.badRequest(Self.problems(load)) }
            text = spec
        }
        do {
            try environment.files.create(fileName: name, text: text)
        } catch {
            throw DAGBodyFields.mapped(error)
        }
        return JSONResponse.json(.object(JSONObject([("name", .string(name))])), status: .created)
    }

    /// Every error of a load joined by `"; "` (a load without a DAG and without a diagnostic
    /// cannot happen, but still gets a message).
    static func problems(_ load: DAGLoadResult) -> String {
        let errors = load.errors.map(\.description)
        return errors.isEmpty ? "the DAG spec is not valid" : errors.joined(separator: "; ")
    }

    // MARK: - POST /dags/validate (§4.3)

    /// Loads the text in memory only; whatever the text, the answer is a 200 (or a 400 for a
    /// malformed body), never a 5xx: the loader bounds size, nesting and alias expansion.
    func validate(_ request: APIRequest) throws -> Response {
        let body = try request.jsonObject()
        guard let spec = try DAGBodyFields.string(body, "spec", required: true) else { throw APIError.badRequest("spec is required") }
        var name = Self.defaultValidationName
        if let given = try DAGBodyFields.string(body, "name"), !given.isEmpty {
            name = try DAGBodyFields.newFileName(given, field: "name")
        }
        var known = Set<String>()
        for entry in environment.catalog.entries() {
            known.insert(entry.fileName)
            known.insert(entry.dagName)
        }
        let load = DAGLoader.load(text: spec, fileName: name + ".yaml", options: DAGLoadOptions(knownDAGNames: known))
        var errors = load.errors.map { JSONValue.string($0.description) }
        if !load.isValid && errors.isEmpty { errors = [.string(Self.problems(load))] }
        var object = JSONObject([
            ("valid", .bool(load.isValid)),
            ("errors", .array(errors)),
            ("warnings", .array(load.warnings.map { .string($0.description) })),
        ])
        if let dag = load.dag { object["dag"] = DAGDTO.details(dag, nextRun: nil, zone: zone) }
        return JSONResponse.json(.object(object))
    }

    // MARK: - DELETE /dags/{fileName} (§4.5)

    func delete(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        do {
            try environment.files.delete(fileName: entry.fileName)
        } catch {
            throw DAGBodyFields.mapped(error)
        }
        return Response(status: .noContent)
    }

    // MARK: - PUT /dags/{fileName}/spec (§4.7)

    /// Saves a valid spec (200 `{errors: []}`); an invalid one is reported with 200 and its
    /// errors, and the file is left as it was (Dagu's contract).
    func updateSpec(_ request: APIRequest) throws -> Response {
        let entry = try entry(request)
        let body = try request.jsonObject()
        guard let spec = try DAGBodyFields.string(body, "spec", required: true) else { throw APIError.badRequest("spec is required") }
        let load = DAGLoader.load(text: spec, fileName: (entry.path as NSString).lastPathComponent)
        guard load.isValid else {
            let errors = load.errors.isEmpty ? [Self.problems(load)] : load.errors.map(\.description)
            return JSONResponse.json(.object(JSONObject([("errors", .array(errors.map { .string($0) }))])))
        }
        do {
            try environment.files.replace(fileName: entry.fileName, text: spec)
        } catch {
            throw DAGBodyFields.mapped(error)
        }
        return JSONResponse.json(.object(JSONObject([("errors", .array([]))])))
    }
}
