import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("DAGRunDetails and Node (API §9.6, §9.7)")
struct RunDetailsDTOTests {
    static let yaml = """
        name: etl
        steps:
          - name: extract
            command: ./extract.sh
          - name: load
            command: ./load.sh --all
        handler_on:
          failure:
            command: echo failed
          exit:
            command: echo bye
        """

    static func at(_ seconds: Double) -> Date { DTOTest.t0.addingTimeInterval(seconds) }

    static func snapshot() -> RunSnapshot {
        let header = DTOTest.header(trigger: .subdag, parent: RunRef(name: "parent", id: "p1"),
                                    root: RunRef(name: "root", id: "root1"))
        var extract = NodeRecord(name: "extract", status: .succeeded)
        extract.startedAt = at(0); extract.finishedAt = at(10); extract.exitCode = 0
        extract.stdout = "/d/extract.out"; extract.stderr = "/d/extract.err"
        var load = NodeRecord(name: "load", status: .failed)
        load.startedAt = at(10); load.finishedAt = at(20); load.retriedAt = at(15); load.retryCount = 1
        load.exitCode = 2; load.error = "exit status 2"; load.stdout = "/d/load.out"; load.stderr = "/d/load.err"
        let ghost = NodeRecord(name: "ghost")
        var onFailure = NodeRecord(name: "onFailure", status: .succeeded)
        onFailure.startedAt = at(20); onFailure.finishedAt = at(21); onFailure.exitCode = 0
        onFailure.stdout = "/d/onFailure.out"; onFailure.stderr = "/d/onFailure.err"
        var onExit = NodeRecord(name: "onExit", status: .running)
        onExit.startedAt = at(21); onExit.stdout = "/d/onExit.out"; onExit.stderr = "/d/onExit.err"
        var met = ConditionRecord(Condition(condition: "test -d /data"))
        met.matched = true
        var unmet = ConditionRecord(Condition(condition: "$ENV", expected: "prod", negate: true))
        unmet.matched = false; unmet.error = "condition was not met"
        var snapshot = RunSnapshot(header: header, attemptId: "att", status: .failed, log: "/data/runs/etl/run.log",
                                   nodes: [extract, load, ghost], handlers: ["onExit": onExit, "onFailure": onFailure],
                                   preconditions: [met, unmet])
        snapshot.startedAt = at(0)
        snapshot.error = "step load failed"
        return snapshot
    }

    @Test("every field of a sub-DAG run's details, in Asia/Tokyo")
    func fullDetails() throws {
        let dag = try DTOTest.dag(Self.yaml)
        let json = RunDTO.details(Self.snapshot(), dag: dag, zone: DTOTest.tokyo, specFromFile: true, sourceFileName: "etl")
        DTOTest.expectJSON(json, """
            {"dagRunId":"r1","name":"etl","status":2,"statusLabel":"failed",
             "startedAt":"2026-05-07T09:08:32+09:00","finishedAt":"","triggerType":"subdag",
             "labels":[],"tags":[],"artifactsAvailable":false,"autoRetryCount":0,"autoRetryLimit":null,
             "rootDAGRunName":"root","rootDAGRunId":"root1","parentDAGRunName":"parent","parentDAGRunId":"p1",
             "log":"/data/runs/etl/run.log",
             "nodes":[
               {"step":{"name":"extract","commands":[{"command":"./extract.sh","args":[]}],"depends":[],"preconditions":[]},
                "stdout":"/d/extract.out","stderr":"/d/extract.err",
                "startedAt":"2026-05-07T09:08:32+09:00","finishedAt":"2026-05-07T09:08:42+09:00",
                "status":4,"statusLabel":"succeeded","retryCount":0,"doneCount":0,"subRuns":[],"subRunsRepeated":[],
                "exitCode":0},
               {"step":{"name":"load","commands":[{"command":"./load.sh","args":["--all"]}],"depends":["extract"],"preconditions":[]},
                "stdout":"/d/load.out","stderr":"/d/load.err",
                "startedAt":"2026-05-07T09:08:42+09:00","finishedAt":"2026-05-07T09:08:52+09:00",
                "status":2,"statusLabel":"failed","retryCount":1,"doneCount":0,"subRuns":[],"subRunsRepeated":[],
                "error":"exit status 2","retriedAt":"2026-05-07T09:08:47+09:00","exitCode":2},
               {"step":{"name":"ghost","commands":[],"depends":[],"preconditions":[]},
                "stdout":"","stderr":"","startedAt":"","finishedAt":"",
                "status":0,"statusLabel":"not_started","retryCount":0,"doneCount":0,"subRuns":[],"subRunsRepeated":[]}],
             "onFailure":
               {"step":{"name":"onFailure","commands":[{"command":"echo","args":["failed"]}],"depends":[],"preconditions":[]},
                "stdout":"/d/onFailure.out","stderr":"/d/onFailure.err",
                "startedAt":"2026-05-07T09:08:52+09:00","finishedAt":"2026-05-07T09:08:53+09:00",
                "status":4,"statusLabel":"succeeded","retryCount":0,"doneCount":0,"subRuns":[],"subRunsRepeated":[],
                "exitCode":0},
             "onExit":
               {"step":{"name":"onExit","commands":[{"command":"echo","args":["bye"]}],"depends":[],"preconditions":[]},
                "stdout":"/d/onExit.out","stderr":"/d/onExit.err",
                "startedAt":"2026-05-07T09:08:53+09:00","finishedAt":"",
                "status":1,"statusLabel":"running","retryCount":0,"doneCount":0,"subRuns":[],"subRunsRepeated":[]},
             "preconditions":[{"condition":"test -d /data","matched":true},
                              {"condition":"$ENV","expected":"prod","negate":true,"error":"condition was not met","matched":false}],
             "error":"step load failed","specFromFile":true,"sourceFileName":"etl"}
            """)
    }

    @Test("handler nodes are separate keys in onInit…onExit order; nodes keep file order")
    func handlerKeyOrder() throws {
        let dag = try DTOTest.dag(Self.yaml)
        let json = RunDTO.details(Self.snapshot(), dag: dag, zone: DTOTest.utc)
        let keys = try #require(json.objectValue?.keys)
        #expect(keys.filter { $0.hasPrefix("on") } == ["onFailure", "onExit"])
        #expect(json["nodes"]?.arrayValue?.map { $0["step"]?["name"] } == ["extract", "load", "ghost"])
    }

    @Test("a root run inline: root is itself, no parent, no specFromFile/sourceFileName/error keys")
    func rootRun() {
        let snapshot = RunSnapshot(header: DTOTest.header(), attemptId: "a", status: .running, log: "", nodes: [NodeRecord(name: "a")])
        let json = RunDTO.details(snapshot, dag: nil, zone: DTOTest.utc)
        #expect(json["rootDAGRunName"] == "etl")
        #expect(json["rootDAGRunId"] == "r1")
        #expect(json["log"] == "")
        for key in ["parentDAGRunName", "parentDAGRunId", "specFromFile", "sourceFileName", "error", "onInit", "onExit"] {
            #expect(json[key] == nil, "\(key)")
        }
        DTOTest.expectJSON(json["preconditions"], "[]")
    }

    @Test("without the DAG every node's step is its bare name with the always-present arrays")
    func noDAG() {
        let snapshot = RunSnapshot(header: DTOTest.header(), attemptId: "a", status: .running, log: "",
                                   nodes: [NodeRecord(name: "a")], handlers: ["onExit": NodeRecord(name: "onExit")])
        let json = RunDTO.details(snapshot, dag: nil, zone: DTOTest.utc)
        DTOTest.expectJSON(json["nodes"]?.arrayValue?.first?["step"], #"{"name":"a","commands":[],"depends":[],"preconditions":[]}"#)
        DTOTest.expectJSON(json["onExit"]?["step"], #"{"name":"onExit","commands":[],"depends":[],"preconditions":[]}"#)
    }

    @Test("node status integers and labels (DAG-FORMAT §11)",
          arguments: [
              (NodeStatus.notStarted, 0, "not_started"), (.running, 1, "running"), (.failed, 2, "failed"),
              (.aborted, 3, "aborted"), (.succeeded, 4, "succeeded"), (.skipped, 5, "skipped"),
              (.partiallySucceeded, 6, "partially_succeeded"), (.waiting, 7, "waiting"), (.rejected, 8, "rejected"),
              (.retrying, 9, "retrying"),
          ])
    func nodeStatuses(status: NodeStatus, number: Int, label: String) {
        let json = NodeDTO.render(NodeRecord(name: "n", status: status), step: nil, zone: DTOTest.utc)
        #expect(json["status"] == .integer(number))
        #expect(json["statusLabel"] == .string(label))
    }

    @Test("a node's required keys are always there; optional ones only when set")
    func nodeKeys() {
        let bare = NodeDTO.render(NodeRecord(name: "n"), step: nil, zone: DTOTest.utc)
        #expect(DTOTest.keys(bare) == ["step", "stdout", "stderr", "startedAt", "finishedAt", "status", "statusLabel",
                                        "retryCount", "doneCount", "subRuns", "subRunsRepeated"])
        var record = NodeRecord(name: "n", status: .failed)
        record.error = "step timed out after 5 s"; record.exitCode = 124; record.doneCount = 3
        let json = NodeDTO.render(record, step: nil, zone: DTOTest.utc)
        #expect(json["exitCode"] == 124)
        #expect(json["error"] == "step timed out after 5 s")
        #expect(json["doneCount"] == 3)
        #expect(json["retriedAt"] == nil)
    }

    @Test("sub-DAG runs of a node: {dagRunId, dagName, name, params?, status, statusLabel}")
    func subRuns() throws {
        let dag = try DTOTest.dag("steps:\n  - name: fan\n    call: child\n    parallel: [a, b]\n")
        var record = NodeRecord(name: "fan", status: .running)
        record.subRuns = [SubRunRecord(dagRunId: "c1", dagName: "child", params: "ITEM=a", status: .succeeded),
                          SubRunRecord(dagRunId: "c2", dagName: "child", params: nil, status: .running)]
        let json = NodeDTO.render(record, step: dag.steps[0], zone: DTOTest.utc)
        DTOTest.expectJSON(json["subRuns"], """
            [{"dagRunId":"c1","dagName":"child","name":"child","params":"ITEM=a","status":4,"statusLabel":"succeeded"},
             {"dagRunId":"c2","dagName":"child","name":"child","status":1,"statusLabel":"running"}]
            """)
        DTOTest.expectJSON(json["subRunsRepeated"], "[]")
        #expect(json["step"]?["call"] == "child")
    }
}
