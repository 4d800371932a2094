import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("DAGRunSummary (API §9.5)")
struct RunSummaryDTOTests {
    static func finished() -> RunSnapshot {
        let header = DTOTest.header(trigger: .scheduler, params: #"A=1 B="x y""#, labels: ["team=data", "nightly"],
                                    scheduleTime: DTOTest.t0)
        var snapshot = RunSnapshot(header: header, attemptId: "att1", status: .succeeded, log: "/data/run.log", nodes: [])
        snapshot.queuedAt = DTOTest.t0.addingTimeInterval(-60)
        snapshot.startedAt = DTOTest.t0
        snapshot.finishedAt = DTOTest.t0.addingTimeInterval(90)
        return snapshot
    }

    @Test("every field of a finished scheduled run, in UTC")
    func finishedUTC() {
        DTOTest.expectJSON(RunDTO.summary(Self.finished(), zone: DTOTest.utc), """
            {"dagRunId":"r1","name":"etl","status":4,"statusLabel":"succeeded",
             "queuedAt":"2026-05-07T00:07:32Z","scheduleTime":"2026-05-07T00:08:32Z",
             "startedAt":"2026-05-07T00:08:32Z","finishedAt":"2026-05-07T00:10:02Z",
             "params":"A=1 B=\\"x y\\"","triggerType":"scheduler",
             "labels":["team=data","nightly"],"tags":["team=data","nightly"],
             "artifactsAvailable":false,"autoRetryCount":0,"autoRetryLimit":null}
            """)
    }

    @Test("the same run in Asia/Tokyo carries +09:00 offsets")
    func finishedTokyo() {
        let json = RunDTO.summary(Self.finished(), zone: DTOTest.tokyo)
        #expect(json["queuedAt"] == "2026-05-07T09:07:32+09:00")
        #expect(json["scheduleTime"] == "2026-05-07T09:08:32+09:00")
        #expect(json["startedAt"] == "2026-05-07T09:08:32+09:00")
        #expect(json["finishedAt"] == "2026-05-07T09:10:02+09:00")
    }

    @Test("a run not yet finished: finishedAt \"\"; no queuedAt, scheduleTime, params or triggerType")
    func running() {
        let header = DTOTest.header(trigger: .unknown)
        var snapshot = RunSnapshot(header: header, attemptId: "a", status: .running, log: "", nodes: [])
        snapshot.startedAt = DTOTest.t0
        DTOTest.expectJSON(RunDTO.summary(snapshot, zone: DTOTest.utc), """
            {"dagRunId":"r1","name":"etl","status":1,"statusLabel":"running",
             "startedAt":"2026-05-07T00:08:32Z","finishedAt":"","labels":[],"tags":[],
             "artifactsAvailable":false,"autoRetryCount":0,"autoRetryLimit":null}
            """)
    }

    @Test("a queued run: queuedAt set, startedAt and finishedAt \"\"")
    func queued() {
        var snapshot = RunSnapshot(header: DTOTest.header(), attemptId: "a", status: .queued, log: "", nodes: [])
        snapshot.queuedAt = DTOTest.t0
        let json = RunDTO.summary(snapshot, zone: DTOTest.utc)
        #expect(json["status"] == 5)
        #expect(json["statusLabel"] == "queued")
        #expect(json["queuedAt"] == "2026-05-07T00:08:32Z")
        #expect(json["startedAt"] == "")
        #expect(json["finishedAt"] == "")
    }

    @Test("run status integers and labels (DAG-FORMAT §11)",
          arguments: [
              (RunStatus.notStarted, 0, "not_started"), (.running, 1, "running"), (.failed, 2, "failed"),
              (.aborted, 3, "aborted"), (.succeeded, 4, "succeeded"), (.queued, 5, "queued"),
              (.partiallySucceeded, 6, "partially_succeeded"), (.waiting, 7, "waiting"), (.rejected, 8, "rejected"),
          ])
    func statuses(status: RunStatus, number: Int, label: String) {
        let snapshot = RunSnapshot(header: DTOTest.header(), attemptId: "a", status: status, log: "", nodes: [])
        let json = RunDTO.summary(snapshot, zone: DTOTest.utc)
        #expect(json["status"] == .integer(number))
        #expect(json["statusLabel"] == .string(label))
    }

    @Test("trigger types are labels; unknown is omitted",
          arguments: [
              (TriggerType.unknown, nil), (.scheduler, "scheduler"), (.manual, "manual"), (.webhook, "webhook"),
              (.subdag, "subdag"), (.retry, "retry"), (.catchup, "catchup"),
          ] as [(TriggerType, String?)])
    func triggerTypes(trigger: TriggerType, label: String?) {
        let snapshot = RunSnapshot(header: DTOTest.header(trigger: trigger), attemptId: "a", status: .running, log: "", nodes: [])
        let json = RunDTO.summary(snapshot, zone: DTOTest.utc)
        #expect(json["triggerType"] == label.map(JSONValue.string))
        #expect(DTOTest.keys(json).contains("triggerType") == (label != nil))
    }

    @Test("from a day-index entry alone: what the entry records, required keys present")
    func indexEntry() {
        let entry = RunIndexEntry(runId: "r9", dag: "etl", status: .failed, createdAt: DTOTest.t0, startedAt: DTOTest.t0,
                                  finishedAt: nil, triggerType: .retry, labels: ["a"])
        DTOTest.expectJSON(RunDTO.summary(entry, snapshot: nil, zone: DTOTest.tokyo), """
            {"dagRunId":"r9","name":"etl","status":2,"statusLabel":"failed",
             "startedAt":"2026-05-07T09:08:32+09:00","finishedAt":"","triggerType":"retry",
             "labels":["a"],"tags":["a"],"artifactsAvailable":false,"autoRetryCount":0,"autoRetryLimit":null}
            """)
    }

    @Test("from a day-index entry with the run's snapshot: the snapshot wins")
    func indexEntryWithSnapshot() {
        let entry = RunIndexEntry(runId: "r1", dag: "etl", status: .running, createdAt: DTOTest.t0, triggerType: .scheduler)
        let snapshot = Self.finished()
        #expect(RunDTO.summary(entry, snapshot: snapshot, zone: DTOTest.utc) == RunDTO.summary(snapshot, zone: DTOTest.utc))
    }
}
