import Foundation
import Testing
@testable import TrellisCLI
import TrellisCore

/// When the server answers a retry (API §6.7): once the new attempt has recorded its start.
/// Found by the body fuzz under load: a retry answered on the agent's first record of the new
/// attempt (a copy of the finished one), so the next retry found the run finished, launched a
/// second agent, which could not take the run's lock, and answered 500.
@Suite("Detached run control: retry readiness")
struct DetachedRunControlTests {
    private func snapshot(attempt: String, status: RunStatus, startedAt: Date?) -> RunSnapshot {
        let header = RunHeader(run: RunRef(name: "d", id: "r1"), createdAt: Date(timeIntervalSince1970: 0), triggerType: .manual, queue: "d")
        var snapshot = RunSnapshot(header: header, attemptId: attempt, status: status, log: "", nodes: [NodeRecord(name: "a")])
        snapshot.startedAt = startedAt
        return snapshot
    }

    @Test("not on the copy of the previous attempt; on the new attempt's own start, running or already ended")
    func retryStarted() {
        let earlier = Date(timeIntervalSince1970: 100), later = Date(timeIntervalSince1970: 200)
        let finished = snapshot(attempt: "a1", status: .succeeded, startedAt: earlier)
        let ready = DetachedRunControl.retryStarted
        #expect(!ready(finished, finished), "the same attempt")
        #expect(!ready(finished, snapshot(attempt: "a2", status: .succeeded, startedAt: earlier)), "the new attempt's first record: a copy")
        #expect(!ready(finished, snapshot(attempt: "a2", status: .notStarted, startedAt: nil)))
        #expect(ready(finished, snapshot(attempt: "a2", status: .running, startedAt: later)))
        #expect(ready(finished, snapshot(attempt: "a2", status: .succeeded, startedAt: later)), "a quick retry already ended")
        let neverStarted = snapshot(attempt: "a1", status: .failed, startedAt: nil)
        #expect(!ready(neverStarted, snapshot(attempt: "a2", status: .failed, startedAt: nil)))
        #expect(ready(neverStarted, snapshot(attempt: "a2", status: .running, startedAt: later)))
        #expect(ready(nil, snapshot(attempt: "a2", status: .running, startedAt: later)))
    }
}
