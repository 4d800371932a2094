import Foundation
import Testing
import TrellisCore

@Suite("Queued start fence: status, attempt and claim token under the run lock")
struct QueuedStartFenceTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let run = RunRef(name: "etl", id: "r1")

    static func snapshot(_ status: RunStatus, attempt: String = "a1") -> RunSnapshot {
        let header = RunHeader(run: run, createdAt: t0, triggerType: .manual, queue: "etl", params: "", paramsList: [],
                               root: nil, parent: nil, labels: [])
        return RunSnapshot(header: header, attemptId: attempt, status: status, log: "", nodes: [])
    }

    static func item(_ phase: QueueState.Phase, token: String?) -> QueueState.Item {
        QueueState.Item(run: run, phase: phase, enqueuedAt: t0, since: t0, token: token, claims: 1)
    }

    @Test("the agent of the current claim of a queued run may start it")
    func winner() {
        let fence = QueuedStartFence(run: Self.run, attemptId: "a1", token: "t2")
        #expect(fence.refusal(latest: Self.snapshot(.queued), item: Self.item(.claimed, token: "t2")) == nil)
        // Without a token (started by hand, or by an earlier version) only the run is checked.
        let untokened = QueuedStartFence(run: Self.run, attemptId: "a1", token: nil)
        #expect(untokened.refusal(latest: Self.snapshot(.queued), item: nil) == nil)
    }

    @Test("refused: run gone, no longer queued, queued again, or the claim is not the current one", arguments: [
        ("gone", "no run r1 of \"etl\""),
        ("running", "is not queued (status: running)"),
        ("succeeded", "is not queued (status: succeeded)"),
        ("requeued", "was queued again (attempt a2)"),
        ("stale token", "claimed with another token"),
        ("reopened", "the item is open"),
        ("dropped", "not in its queue"),
        ("claim without token", "claimed with another token"),
    ])
    func losers(situation: String, message: String) throws {
        let fence = QueuedStartFence(run: Self.run, attemptId: "a1", token: "t1")
        var latest: RunSnapshot? = Self.snapshot(.queued)
        var item: QueueState.Item? = Self.item(.claimed, token: "t1")
        switch situation {
        case "gone": latest = nil
        case "running": latest = Self.snapshot(.running)
        case "succeeded": latest = Self.snapshot(.succeeded)
        case "requeued": latest = Self.snapshot(.queued, attempt: "a2")
        case "stale token": item = Self.item(.claimed, token: "t2")
        case "reopened": item = Self.item(.open, token: nil)
        case "dropped": item = nil
        case "claim without token": item = Self.item(.claimed, token: nil)
        default: Issue.record("unknown situation \(situation)")
        }
        let refusal = try #require(fence.refusal(latest: latest, item: item))
        #expect(refusal.contains(message), "\(refusal)")
    }

    @Test("claim tokens: 16 hex digits, different every time, valid as --claim values")
    func tokens() {
        let tokens = (0..<200).map { _ in QueueRecord.newClaimToken() }
        #expect(Set(tokens).count == 200)
        #expect(tokens.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) && QueueRecord.isValidClaimToken($0) })
        #expect(!QueueRecord.isValidClaimToken(""))
        #expect(!QueueRecord.isValidClaimToken("a b"))
        #expect(!QueueRecord.isValidClaimToken(String(repeating: "a", count: 65)))
    }
}
