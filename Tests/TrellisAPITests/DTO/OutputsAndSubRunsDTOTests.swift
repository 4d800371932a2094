import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("Outputs (API §6.12) and sub-DAG runs (§6.13)")
struct OutputsAndSubRunsDTOTests {
    static func run(_ status: RunStatus, params: String = "") -> RunSnapshot {
        var snapshot = RunSnapshot(header: DTOTest.header(params: params), attemptId: "att7", status: status, log: "", nodes: [])
        snapshot.startedAt = DTOTest.t0
        if !status.isActive { snapshot.finishedAt = DTOTest.t0.addingTimeInterval(5) }
        return snapshot
    }

    @Test("a finished run: metadata filled, outputs in order")
    func finished() {
        let json = OutputsDTO.render(Self.run(.succeeded, params: "A=1"),
                                     outputs: [("resultUrl", "https://x/y"), ("count", "42")], zone: DTOTest.tokyo)
        DTOTest.expectJSON(json, """
            {"metadata":{"dagName":"etl","dagRunId":"r1","attemptId":"att7","status":"succeeded",
                         "completedAt":"2026-05-07T09:08:37+09:00","params":"A=1"},
             "outputs":{"resultUrl":"https://x/y","count":"42"}}
            """)
        #expect(json["outputs"]?.objectValue?.keys == ["resultUrl", "count"])
    }

    @Test("an active run: completedAt \"\", outputs {}, no params key")
    func active() {
        DTOTest.expectJSON(OutputsDTO.render(Self.run(.running), outputs: [], zone: DTOTest.utc), """
            {"metadata":{"dagName":"etl","dagRunId":"r1","attemptId":"att7","status":"running","completedAt":""},
             "outputs":{}}
            """)
    }

    @Test("from a parsed outputs.json: non-string values shown as text; a missing file gives {}")
    func fromFile() throws {
        let file = try JSONValue.parse(#"{"total":42,"name":"x","obj":{"k":[1,2]}}"#)
        let json = OutputsDTO.render(Self.run(.failed), outputsFile: file, zone: DTOTest.utc)
        DTOTest.expectJSON(json["outputs"], #"{"total":"42","name":"x","obj":"{\"k\":[1,2]}"}"#)
        #expect(json["metadata"]?["status"] == "failed")
        DTOTest.expectJSON(OutputsDTO.render(Self.run(.failed), outputsFile: nil, zone: DTOTest.utc)["outputs"], "{}")
    }

    @Test("sub-runs: every child of every node in node order, handlers last")
    func records() {
        var a = NodeRecord(name: "a")
        a.subRuns = [SubRunRecord(dagRunId: "c1", dagName: "x", params: nil, status: .succeeded),
                     SubRunRecord(dagRunId: "c2", dagName: "x", params: nil, status: .failed)]
        var b = NodeRecord(name: "b")
        b.subRuns = [SubRunRecord(dagRunId: "c3", dagName: "y", params: nil, status: .running)]
        var exit = NodeRecord(name: "onExit")
        exit.subRuns = [SubRunRecord(dagRunId: "c5", dagName: "z", params: nil, status: .running)]
        var initial = NodeRecord(name: "onInit")
        initial.subRuns = [SubRunRecord(dagRunId: "c4", dagName: "z", params: nil, status: .succeeded)]
        let snapshot = RunSnapshot(header: DTOTest.header(), attemptId: "a", status: .running, log: "", nodes: [a, b],
                                   handlers: ["onExit": exit, "onInit": initial])
        #expect(SubRunsDTO.records(of: snapshot).map(\.dagRunId) == ["c1", "c2", "c3", "c4", "c5"])
    }

    @Test("sub-run details: status and times from the child's snapshot, else the parent's record and \"\"")
    func details() {
        var child = RunSnapshot(header: DTOTest.header("x", id: "c1", trigger: .subdag, params: "P=1"), attemptId: "a",
                                status: .succeeded, log: "", nodes: [])
        child.startedAt = DTOTest.t0
        child.finishedAt = DTOTest.t0.addingTimeInterval(3)
        let children = [
            SubRunsDTO.Child(record: SubRunRecord(dagRunId: "c1", dagName: "x", params: "P=1", status: .running), snapshot: child),
            SubRunsDTO.Child(record: SubRunRecord(dagRunId: "c2", dagName: "x", params: nil, status: .running), snapshot: nil),
        ]
        DTOTest.expectJSON(SubRunsDTO.render(children, zone: DTOTest.utc), """
            {"subRuns":[
              {"dagRunId":"c1","dagName":"x","params":"P=1","status":4,"statusLabel":"succeeded",
               "startedAt":"2026-05-07T00:08:32Z","finishedAt":"2026-05-07T00:08:35Z"},
              {"dagRunId":"c2","dagName":"x","status":1,"statusLabel":"running","startedAt":"","finishedAt":""}]}
            """)
        DTOTest.expectJSON(SubRunsDTO.render([], zone: DTOTest.utc), #"{"subRuns":[]}"#)
    }
}
