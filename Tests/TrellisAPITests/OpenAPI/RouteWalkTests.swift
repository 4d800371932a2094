import Foundation
import Testing
@testable import TrellisAPI
import TrellisCore
import Logging
import TrellisTesting

/// Walks the router the server really builds and the OpenAPI document it serves, and fails on
/// any operation one has and the other lacks (issue: "a test walks the router and the document").
@Suite("OpenAPI document ⇄ router")
struct RouteWalkTests {
    /// The server as `trellis server` builds it, over doubles that are never called.
    static func server() -> APIServer {
        let settings = APIServerSettings(host: "127.0.0.1", port: 0, mountPath: "/api/v1",
                                         authenticator: Authenticator(mode: .none), timeZone: DTOTest.utc, version: "t",
                                         inlineSpecDirectory: NSTemporaryDirectory())
        let store = InMemoryRunStore(baseDirectory: NSTemporaryDirectory())
        let environment = APIEnvironment(catalog: EmptyCatalog(), runs: store, locking: store, repairer: NoRepair(),
                                         control: RefusingControl(), files: RefusingFiles())
        return APIServer(settings: settings, environment: environment, logger: .init(label: "route-walk"))
    }

    /// `METHOD /template` of every route the server registers.
    static func servedOperations() -> [String] {
        server().routes().routes.map { "\($0.method.rawValue) \($0.pattern.template)" }
    }

    /// `METHOD /path` of every operation in the document.
    static func documentedOperations() -> Set<String> {
        Set(OpenAPIDocumentTests.operations.map { path, method, _ in "\(method.uppercased()) \(path)" })
    }

    @Test("every served route is documented, and every documented operation is served")
    func routerMatchesDocument() {
        let served = Set(Self.servedOperations())
        let documented = Self.documentedOperations()
        #expect(served.count > 30)
        for missing in served.subtracting(documented).sorted() {
            Issue.record("served but not in /openapi.json: \(missing)")
        }
        for missing in documented.subtracting(served).sorted() {
            Issue.record("in /openapi.json but not served: \(missing)")
        }
    }

    @Test("no two routes share a method and a template")
    func noDuplicateRoutes() {
        let served = Self.servedOperations()
        #expect(served.count == Set(served).count)
    }
}

// MARK: - Doubles: the walk only registers routes, it never calls a handler.

private struct EmptyCatalog: DAGCatalog {
    func entries() -> [CatalogEntry] { [] }
    func entry(fileName: String) -> CatalogEntry? { nil }
    func entry(dagName name: String) -> CatalogEntry? { nil }
    var generation: Int { 0 }
}

private struct NoRepair: RunRepairing {
    func repairIfDead(_ run: RunRef) throws(StoreError) -> RunSnapshot? { nil }
}

private struct Refused: Error {}

private struct RefusingControl: RunControl {
    func start(_ request: StartRequest, dagName: String) async throws -> RunSnapshot { throw Refused() }
    func requestStop(_ run: RunRef, agentPID: Int32?) throws { throw Refused() }
    func retry(_ run: RunRef, step: String?) async throws -> RunSnapshot { throw Refused() }
    func patchNodeStatus(_ run: RunRef, node: String, status: NodeStatus) throws -> RunSnapshot { throw Refused() }
}

private struct RefusingFiles: DAGFileWriting {
    func create(fileName: String, text: String) throws(DAGFileError) { throw DAGFileError(.io, "refused") }
    func replace(fileName: String, text: String) throws(DAGFileError) { throw DAGFileError(.io, "refused") }
    func delete(fileName: String) throws(DAGFileError) { throw DAGFileError(.io, "refused") }
    func rename(fileName: String, to newFileName: String) throws(DAGFileError) { throw DAGFileError(.io, "refused") }
    func suspend(fileName: String, _ suspended: Bool) throws(DAGFileError) { throw DAGFileError(.io, "refused") }
}
