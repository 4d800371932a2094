import Foundation
import Testing
import TrellisCore

/// The pure parts of the run metrics (API §3.3): the day fold and the timing rules.
@Suite("Run metrics rules")
struct RunMetricsRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func entry(_ id: String, _ dag: String, _ status: RunStatus, started: TimeInterval? = nil,
                      finished: TimeInterval? = nil) -> RunIndexEntry {
        RunIndexEntry(runId: id, dag: dag, status: status, createdAt: t0, startedAt: started.map { t0 + $0 },
                      finishedAt: finished.map { t0 + $0 }, triggerType: .manual)
    }

    @Test("the fold keeps the last line per run")
    func fold() {
        let tally = RunCountTally(folding: [
            Self.entry("a", "etl", .queued), Self.entry("a", "etl", .running), Self.entry("b", "etl", .running),
            Self.entry("a", "etl", .succeeded), Self.entry("c", "rep", .notStarted), Self.entry("b", "etl", .failed),
        ])
        #expect(tally.count == 3)
        #expect(tally.countsByStatus == [.succeeded: 1, .failed: 1, .notStarted: 1])
        #expect(tally.countsByDAG == ["etl": [.succeeded: 1, .failed: 1], "rep": [.notStarted: 1]])
        #expect(tally.activeRuns == [RunRef(name: "rep", id: "c")])
    }

    @Test("durations of lines that end an attempt; queue waits of starts whose snapshot was queued")
    func timing() {
        #expect(RunTimingRules.duration(of: Self.entry("a", "d", .succeeded, started: 10, finished: 25)) == 15)
        #expect(RunTimingRules.duration(of: Self.entry("a", "d", .running, started: 10)) == nil)
        #expect(RunTimingRules.duration(of: Self.entry("a", "d", .failed)) == nil, "failed before it started")
        let header = RunHeader(run: RunRef(name: "d", id: "a"), createdAt: Self.t0, triggerType: .manual, queue: "d", params: "",
                               paramsList: [], root: nil, parent: nil, labels: [])
        var snapshot = RunSnapshot(header: header, attemptId: "1", status: .running, log: "", nodes: [])
        snapshot.startedAt = Self.t0 + 9
        let start = Self.entry("a", "d", .running, started: 9)
        #expect(RunTimingRules.queueWait(of: start, snapshot: snapshot) == nil, "no queuedAt: a direct start")
        snapshot.queuedAt = Self.t0 + 2
        #expect(RunTimingRules.queueWait(of: start, snapshot: snapshot) == 7)
        snapshot.startedAt = Self.t0 + 30
        #expect(RunTimingRules.queueWait(of: start, snapshot: snapshot) == nil, "a later attempt")
    }
}
