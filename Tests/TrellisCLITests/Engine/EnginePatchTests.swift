import Foundation
import Logging
import Testing
import TrellisCore
import TrellisStore

@Suite("Run engine: node status patch (§12.4)")
struct EnginePatchTests {
    @Test("patching the failed node of a finished run re-derives the run status and appends a snapshot")
    func patch() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("patchme", "steps:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'exit 1'}\n")
        let (_, run, _) = try home.start("patchme")
        #expect(run.status == .failed)
        let store = try home.store()
        let patched = try store.patchNodeStatus(run.run, node: "b", status: .succeeded)
        #expect(patched.status == .succeeded)
        #expect(try store.latestSnapshot(of: run.run)?.status == .succeeded)
        #expect(try store.latestSnapshot(of: run.run)?.node(named: "b")?.status == .succeeded)
        #expect(throws: StoreError.self) { try store.patchNodeStatus(run.run, node: "nope", status: .succeeded) }
    }
}
