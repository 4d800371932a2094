import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("Run history (API §4.14) and DAG file entries (§9.2)")
struct HistoryAndFileDTOTests {
    static func run(_ id: String, _ nodes: [(String, NodeStatus)], handlers: [String: NodeStatus] = [:]) -> RunSnapshot {
        RunSnapshot(header: DTOTest.header(id: id), attemptId: "a", status: .succeeded, log: "",
                    nodes: nodes.map { NodeRecord(name: $0.0, status: $0.1) },
                    handlers: handlers.reduce(into: [:]) { $0[$1.key] = NodeRecord(name: $1.key, status: $1.value) })
    }

    @Test("grid: current step order, removed steps after, handlers last; 0 where a run lacks the node")
    func grid() throws {
        let current = try DTOTest.dag("steps:\n  - name: c\n    command: x\n  - name: a\n    command: x\n  - name: b\n    command: x\n")
        let newest = Self.run("r2", [("a", .succeeded), ("b", .failed), ("c", .succeeded)], handlers: ["onExit": .succeeded])
        let oldest = Self.run("r1", [("old", .succeeded), ("a", .failed)], handlers: ["onFailure": .succeeded, "onExit": .skipped])
        let rows = DAGRunHistoryDTO.gridData([newest, oldest], current: current)
        DTOTest.expectJSON(.array(rows), """
            [{"name":"c","history":[4,0]},{"name":"a","history":[4,2]},{"name":"b","history":[2,0]},
             {"name":"old","history":[0,4]},{"name":"onFailure","history":[0,4]},{"name":"onExit","history":[4,5]}]
            """)
    }

    @Test("history body: dagRuns as details, newest first; empty history gives [] and []")
    func body() throws {
        let dag = try DTOTest.dag("steps:\n  - name: a\n    command: x\n", file: "etl.yaml")
        let runs = [DAGRunHistoryDTO.Run(snapshot: Self.run("r2", [("a", .succeeded)]), dag: dag, specFromFile: true, sourceFileName: "etl"),
                    DAGRunHistoryDTO.Run(snapshot: Self.run("r1", [("a", .failed)]), dag: dag)]
        let json = DAGRunHistoryDTO.render(runs, current: dag, zone: DTOTest.utc)
        #expect(json["dagRuns"]?.arrayValue?.map { $0["dagRunId"] } == ["r2", "r1"])
        #expect(json["dagRuns"]?.arrayValue?.first?["specFromFile"] == true)
        #expect(json["dagRuns"]?.arrayValue?.first?["nodes"]?.arrayValue?.first?["step"]?["commands"] != nil)
        DTOTest.expectJSON(json["gridData"], #"[{"name":"a","history":[4,2]}]"#)
        DTOTest.expectJSON(DAGRunHistoryDTO.render([], current: dag, zone: DTOTest.utc), #"{"dagRuns":[],"gridData":[]}"#)
    }

    @Test("DAG file entry of a DAG never run: synthetic latest run, nextRun in the zone")
    func neverRun() throws {
        let dag = try DTOTest.dag("schedule: \"0 2 * * *\"\nsteps: [echo]\n", file: "nightly.yaml")
        let json = DAGFileDTO.render(fileName: "nightly", filePath: "/dags/nightly.yaml", dag: dag, latestRun: nil,
                                     nextRun: DTOTest.t0, suspended: false, errors: [], zone: DTOTest.tokyo)
        DTOTest.expectJSON(json, """
            {"fileName":"nightly","filePath":"/dags/nightly.yaml",
             "dag":{"name":"nightly","params":[],"labels":[],"tags":[],"schedule":[{"kind":"cron","expression":"0 2 * * *"}],
                    "maxActiveRuns":1},
             "latestDAGRun":{"dagRunId":"","name":"nightly","status":0,"statusLabel":"not_started","startedAt":"",
                             "finishedAt":"","labels":[],"tags":[],"artifactsAvailable":false,"autoRetryCount":0,
                             "autoRetryLimit":null},
             "nextRun":"2026-05-07T09:08:32+09:00","suspended":false,"errors":[]}
            """)
    }

    @Test("DAG file entry of a broken file: dag has at least the name; errors listed; no nextRun")
    func broken() {
        let json = DAGFileDTO.render(fileName: "bad", filePath: "/dags/bad.yaml", dag: nil, latestRun: nil, nextRun: nil,
                                     suspended: true, errors: ["steps: is required"], zone: DTOTest.utc)
        DTOTest.expectJSON(json["dag"], #"{"name":"bad","params":[],"labels":[],"tags":[],"schedule":[]}"#)
        #expect(json["latestDAGRun"]?["name"] == "bad")
        #expect(json["nextRun"] == nil)
        #expect(json["suspended"] == true)
        DTOTest.expectJSON(json["errors"], #"["steps: is required"]"#)
    }

    @Test("DAG file entry with a latest run shows its summary")
    func withRun() throws {
        let dag = try DTOTest.dag("steps: [echo]\n", file: "etl.yaml")
        let snapshot = Self.run("r5", [("cmd_1", .succeeded)])
        let json = DAGFileDTO.render(fileName: "etl", filePath: "/dags/etl.yaml", dag: dag, latestRun: snapshot,
                                     nextRun: nil, suspended: false, errors: [], zone: DTOTest.utc)
        #expect(json["latestDAGRun"] == RunDTO.summary(snapshot, zone: DTOTest.utc))
    }
}
