import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("DAG DTOs (API §9.1, §9.3)")
struct DAGDTOTests {
    static let full = """
        name: etl
        description: Nightly ETL
        group: data
        labels: "team=data, nightly"
        schedule:
          start:
            - "CRON_TZ=Asia/Tokyo 0 2 * * *"
            - at: "2026-06-01T09:00:00+09:00"
          stop: "0 5 * * *"
        env:
          - A: 1
          - B: "${A}2"
        timeout_sec: 600
        delay_sec: 2
        max_active_steps: 3
        max_active_runs: 2
        queue: batch
        hist_retention_days: 7
        preconditions:
          - condition: test -d /data
        params: A=1 B="two words"
        handler_on:
          success:
            command: echo ok
          exit:
            command: echo bye
        steps:
          - name: extract
            command: ./extract.sh
        """

    @Test("DAGDetails: every field of a fully specified DAG, in UTC")
    func fullDetails() throws {
        let dag = try DTOTest.dag(Self.full)
        DTOTest.expectJSON(DAGDTO.details(dag, nextRun: DTOTest.t0, zone: DTOTest.utc), """
            {"name":"etl","description":"Nightly ETL","group":"data","type":"chain","nextRun":"2026-05-07T00:08:32Z",
             "schedule":[{"kind":"cron","expression":"CRON_TZ=Asia/Tokyo 0 2 * * *"},{"kind":"at","at":"2026-06-01T00:00:00Z"}],
             "env":["A=1","B=${A}2"],
             "handlerOn":{
               "success":{"name":"onSuccess","commands":[{"command":"echo","args":["ok"]}],"depends":[],"preconditions":[]},
               "exit":{"name":"onExit","commands":[{"command":"echo","args":["bye"]}],"depends":[],"preconditions":[]}},
             "steps":[{"name":"extract","commands":[{"command":"./extract.sh","args":[]}],"depends":[],"preconditions":[]}],
             "delay":2,"timeoutSec":600,"histRetentionDays":7,"preconditions":[{"condition":"test -d /data"}],
             "maxActiveRuns":2,"maxActiveSteps":3,"queue":"batch",
             "params":["A=1","B=two words"],
             "paramDefs":[{"name":"A","type":"string","default":"1"},{"name":"B","type":"string","default":"two words"}],
             "defaultParams":"A=\\"1\\" B=\\"two words\\"",
             "labels":["team=data","nightly"],"tags":["team=data","nightly"]}
            """)
    }

    @Test("DAGDetails in Asia/Tokyo: nextRun and one-off times carry +09:00")
    func tokyoTimes() throws {
        let dag = try DTOTest.dag(Self.full)
        let json = DAGDTO.details(dag, nextRun: DTOTest.t0, zone: DTOTest.tokyo)
        #expect(json["nextRun"] == "2026-05-07T09:08:32+09:00")
        DTOTest.expectJSON(json["schedule"], """
            [{"kind":"cron","expression":"CRON_TZ=Asia/Tokyo 0 2 * * *"},{"kind":"at","at":"2026-06-01T09:00:00+09:00"}]
            """)
    }

    @Test("DAGDetails of a minimal DAG: arrays present, numerics omitted when 0, defaults shown")
    func minimalDetails() throws {
        let dag = try DTOTest.dag("steps:\n  - echo hi\n", file: "hello.yaml")
        DTOTest.expectJSON(DAGDTO.details(dag, nextRun: nil, zone: DTOTest.utc), """
            {"name":"hello","type":"chain","schedule":[],"env":[],"handlerOn":{},
             "steps":[{"name":"cmd_1","commands":[{"command":"echo","args":["hi"]}],"depends":[],"preconditions":[]}],
             "histRetentionDays":30,"preconditions":[],"maxActiveRuns":1,
             "params":[],"paramDefs":[],"labels":[],"tags":[]}
            """)
    }

    @Test("a graph DAG says type graph; handlerOn lists only the handlers that are set")
    func graphAndHandlers() throws {
        let dag = try DTOTest.dag("""
            type: graph
            handler_on:
              init: {command: echo init}
              failure: {command: echo failure}
              abort: {command: echo abort}
            steps:
              - name: a
                command: x
            """)
        let json = DAGDTO.details(dag, nextRun: nil, zone: DTOTest.utc)
        #expect(json["type"] == "graph")
        #expect(DTOTest.keys(json["handlerOn"]) == ["init", "failure", "abort"])
        #expect(json["handlerOn"]?["init"]?["name"] == "onInit")
        #expect(json["handlerOn"]?["abort"]?["name"] == "onAbort")
    }

    @Test("typed params: params, defaultParams, paramDefs and paramSchema (DAG-FORMAT §4.5)")
    func typedParams() throws {
        let dag = try DTOTest.dag("""
            params:
              - {name: environment, type: string, enum: [staging, production], default: staging}
              - {name: batch_size, type: integer, default: 25, minimum: 1, description: Rows per batch}
              - {name: token, type: string, required: true}
            steps: [echo]
            """)
        let json = DAGDTO.details(dag, nextRun: nil, zone: DTOTest.utc)
        DTOTest.expectJSON(json["params"], #"["environment=staging","batch_size=25"]"#)
        #expect(json["defaultParams"] == .string(#"environment="staging" batch_size="25""#))
        DTOTest.expectJSON(json["paramDefs"], """
            [{"name":"environment","type":"string","default":"staging","enum":["staging","production"]},
             {"name":"batch_size","type":"integer","default":25,"description":"Rows per batch","minimum":1},
             {"name":"token","type":"string","required":true}]
            """)
        DTOTest.expectJSON(json["paramSchema"], """
            {"type":"object","properties":{
               "environment":{"type":"string","default":"staging","enum":["staging","production"]},
               "batch_size":{"type":"integer","description":"Rows per batch","default":25,"minimum":1},
               "token":{"type":"string"}},
             "required":["token"]}
            """)
    }

    @Test("positional params have no name in paramDefs and show only the value")
    func positionalParams() throws {
        let dag = try DTOTest.dag("params: first \"second one\"\nsteps: [echo]\n")
        let json = DAGDTO.details(dag, nextRun: nil, zone: DTOTest.utc)
        DTOTest.expectJSON(json["params"], #"["first","second one"]"#)
        #expect(json["defaultParams"] == .string(#""first" "second one""#))
        DTOTest.expectJSON(json["paramDefs"], #"[{"type":"string","default":"first"},{"type":"string","default":"second one"}]"#)
        #expect(json["paramSchema"] == nil)
    }

    @Test("DAG list item: exactly §9.1")
    func listItem() throws {
        let dag = try DTOTest.dag(Self.full)
        DTOTest.expectJSON(DAGDTO.listItem(dag, zone: DTOTest.tokyo), """
            {"name":"etl","group":"data","description":"Nightly ETL","params":["A=1","B=two words"],
             "defaultParams":"A=\\"1\\" B=\\"two words\\"","labels":["team=data","nightly"],"tags":["team=data","nightly"],
             "schedule":[{"kind":"cron","expression":"CRON_TZ=Asia/Tokyo 0 2 * * *"},{"kind":"at","at":"2026-06-01T09:00:00+09:00"}],
             "queue":"batch","maxActiveRuns":2}
            """)
    }

    @Test("DAG list item of a minimal DAG; the minimal item of a broken file")
    func minimalListItem() throws {
        let dag = try DTOTest.dag("steps: [echo]\n", file: "tiny.yaml")
        DTOTest.expectJSON(DAGDTO.listItem(dag, zone: DTOTest.utc), """
            {"name":"tiny","params":[],"labels":[],"tags":[],"schedule":[],"maxActiveRuns":1}
            """)
        DTOTest.expectJSON(DAGDTO.minimalListItem(name: "broken"),
                           #"{"name":"broken","params":[],"labels":[],"tags":[],"schedule":[]}"#)
    }

    @Test("schedules: a plain cron string and a list; stop schedules are not listed")
    func schedules() throws {
        let single = try DTOTest.dag("schedule: \"*/5 * * * *\"\nsteps: [echo]\n")
        DTOTest.expectJSON(DAGDTO.listItem(single, zone: DTOTest.utc)["schedule"], #"[{"kind":"cron","expression":"*/5 * * * *"}]"#)
        let stopOnly = try DTOTest.dag("schedule:\n  stop: \"0 5 * * *\"\nsteps: [echo]\n")
        DTOTest.expectJSON(DAGDTO.details(stopOnly, nextRun: nil, zone: DTOTest.utc)["schedule"], "[]")
    }
}
