import Foundation
import Testing
@testable import TrellisCore

@Suite("Node status patch (§12.4)")
struct NodeStatusPatchTests {
    private func fixture(_ statuses: [NodeStatus], run: RunStatus) throws -> (DAG, RunSnapshot) {
        let dag = try #require(DAGLoader.load(text: "steps: [\"true\", \"true\"]", fileName: "p.yaml").dag)
        let header = RunHeader(run: RunRef(name: "p", id: "r1"), createdAt: Date(timeIntervalSince1970: 0), triggerType: .manual, queue: "p")
        var nodes = dag.steps.map { NodeRecord(name: $0.name) }
        for index in nodes.indices { nodes[index].status = statuses[index] }
        nodes[1].error = statuses[1] == .failed ? "exit status 1" : nil
        return (dag, RunSnapshot(header: header, attemptId: "a", status: run, log: "", nodes: nodes))
    }

    @Test("patching the failed node to succeeded re-derives a succeeded run")
    func failedToSucceeded() throws {
        let (dag, snapshot) = try fixture([.succeeded, .failed], run: .failed)
        let patched = try NodeStatusPatch.apply(snapshot, dag: dag, node: "cmd_2", status: .succeeded, now: Date()).get()
        #expect(patched.status == .succeeded)
        #expect(patched.node(named: "cmd_2")?.error == nil)
    }

    @Test("patching a succeeded node to failed fails the run")
    func succeededToFailed() throws {
        let (dag, snapshot) = try fixture([.succeeded, .succeeded], run: .succeeded)
        let patched = try NodeStatusPatch.apply(snapshot, dag: dag, node: "cmd_1", status: .failed, now: Date()).get()
        #expect(patched.status == .failed)
    }

    @Test("all nodes not_started and no error → not_started (rule 2)")
    func allNotStarted() throws {
        let (dag, snapshot) = try fixture([.notStarted, .succeeded], run: .succeeded)
        let patched = try NodeStatusPatch.apply(snapshot, dag: dag, node: "cmd_2", status: .notStarted, now: Date()).get()
        #expect(patched.status == .notStarted)
    }

    @Test("active runs, unknown nodes and running statuses are refused")
    func refusals() throws {
        let (dag, running) = try fixture([.running, .notStarted], run: .running)
        #expect((try? NodeStatusPatch.apply(running, dag: dag, node: "cmd_1", status: .succeeded, now: Date()).get()) == nil)
        let (_, done) = try fixture([.succeeded, .succeeded], run: .succeeded)
        #expect((try? NodeStatusPatch.apply(done, dag: dag, node: "nope", status: .succeeded, now: Date()).get()) == nil)
        #expect((try? NodeStatusPatch.apply(done, dag: dag, node: "cmd_1", status: .running, now: Date()).get()) == nil)
    }
}
