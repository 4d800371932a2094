import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("Synthetic latest run of a DAG never run (API §4.4, §9.2)")
struct NotStartedDTOTests {
    static let yaml = """
        labels: [team=data]
        params: A=1
        preconditions: ["test -d /data"]
        handler_on:
          exit: {command: echo bye}
        steps:
          - name: a
            command: echo a
          - name: b
            command: echo b
        """

    @Test("details: dagRunId \"\", status 0, one not_started node per step, all times \"\"")
    func details() throws {
        let dag = try DTOTest.dag(Self.yaml, file: "fresh.yaml")
        DTOTest.expectJSON(RunDTO.notStartedDetails(dag, zone: DTOTest.tokyo), """
            {"dagRunId":"","name":"fresh","status":0,"statusLabel":"not_started","startedAt":"","finishedAt":"",
             "params":"A=1","labels":["team=data"],"tags":["team=data"],
             "artifactsAvailable":false,"autoRetryCount":0,"autoRetryLimit":null,
             "rootDAGRunName":"","rootDAGRunId":"","log":"",
             "nodes":[
               {"step":{"name":"a","commands":[{"command":"echo","args":["a"]}],"depends":[],"preconditions":[]},
                "stdout":"","stderr":"","startedAt":"","finishedAt":"","status":0,"statusLabel":"not_started",
                "retryCount":0,"doneCount":0,"subRuns":[],"subRunsRepeated":[]},
               {"step":{"name":"b","commands":[{"command":"echo","args":["b"]}],"depends":["a"],"preconditions":[]},
                "stdout":"","stderr":"","startedAt":"","finishedAt":"","status":0,"statusLabel":"not_started",
                "retryCount":0,"doneCount":0,"subRuns":[],"subRunsRepeated":[]}],
             "onExit":
               {"step":{"name":"onExit","commands":[{"command":"echo","args":["bye"]}],"depends":[],"preconditions":[]},
                "stdout":"","stderr":"","startedAt":"","finishedAt":"","status":0,"statusLabel":"not_started",
                "retryCount":0,"doneCount":0,"subRuns":[],"subRunsRepeated":[]},
             "preconditions":[{"condition":"test -d /data"}]}
            """)
    }

    @Test("summary: the required keys with \"\" id and times, no triggerType")
    func summary() throws {
        let dag = try DTOTest.dag("steps: [echo]\n", file: "fresh.yaml")
        DTOTest.expectJSON(RunDTO.notStartedSummary(dag, zone: DTOTest.utc), """
            {"dagRunId":"","name":"fresh","status":0,"statusLabel":"not_started","startedAt":"","finishedAt":"",
             "labels":[],"tags":[],"artifactsAvailable":false,"autoRetryCount":0,"autoRetryLimit":null}
            """)
    }
}
