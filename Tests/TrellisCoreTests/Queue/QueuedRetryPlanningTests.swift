import Foundation
import Testing
import TrellisCore

/// A queued retry (API §6.7) puts a run through its queue a second time: the queue file then holds
/// the first attempt's `enqueue` and `claim` and, after them, the retry's `enqueue`. The fold, the
/// planner and the fence must treat the retry as a new item, not as the old claim.
@Suite("Queued retry: a second pass of one run through its queue (fold, planner, fence)")
struct QueuedRetryPlanningTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let run = RunRef(name: "etl", id: "r1")
    static let other = RunRef(name: "etl", id: "x")

    static func record(_ op: QueueRecord.Op, _ run: RunRef = run, at seconds: TimeInterval, token: String? = nil) -> QueueRecord {
        QueueRecord(op, run, at: t0.addingTimeInterval(seconds), priority: op == .enqueue ? .low : nil, token: token)
    }

    /// The first attempt enqueued at 1 s and claimed at 2 s; `x` enqueued at 3 s; the retry's
    /// enqueue at 4 s, the first attempt's agent never having appended its `done`.
    static let retried = QueueState(folding: [
        record(.enqueue, at: 1), record(.claim, at: 2, token: "t1"), record(.enqueue, other, at: 3), record(.enqueue, at: 4),
    ])

    static func queued(_ run: RunRef) -> DispatchRunFacts? { DispatchRunFacts(status: .queued) }

    static func snapshot(_ status: RunStatus, attempt: String) -> RunSnapshot {
        let header = RunHeader(run: run, createdAt: t0, triggerType: .manual, queue: "shared", params: "", paramsList: [],
                               root: nil, parent: nil, labels: [])
        return RunSnapshot(header: header, attemptId: attempt, status: status, log: "", nodes: [])
    }

    @Test("the retry's enqueue after the first attempt's claim opens a new item at the tail, unclaimed")
    func foldReplacesTheEndedClaim() throws {
        let state = Self.retried
        #expect(state.claimed.isEmpty)
        #expect(state.open.map(\.run) == [Self.other, Self.run])
        let item = try #require(state.item(Self.run))
        #expect(item.phase == .open)
        #expect(item.token == nil)
        #expect(item.claims == 0)
        #expect(item.enqueuedAt == Self.t0.addingTimeInterval(4))
        // A compacted file keeps it that way.
        #expect(QueueState(folding: state.records) == state)
        // The same for a run that was recorded running (a `start` of an earlier version).
        let started = QueueState(folding: [Self.record(.start, at: 1), Self.record(.enqueue, at: 2)])
        #expect(started.running.isEmpty)
        #expect(started.open.map(\.run) == [Self.run])
    }

    @Test("the ended attempt's claim holds no slot and is never reopened or expired, however old")
    func plannerClaimsTheRetryOnce() {
        let planner = DispatchPlanner(claimTimeout: 10)
        for age in [0.5, 10, 60, 3600] as [TimeInterval] {
            let now = Self.t0.addingTimeInterval(4 + age)
            let one = planner.plan(.init(name: "shared", state: Self.retried, concurrency: 1), now: now, facts: Self.queued)
            #expect(one.claims == [Self.other], "age \(age)")
            #expect(one.reopened.isEmpty && one.expiredClaims.isEmpty && one.drops.isEmpty && one.finished.isEmpty, "age \(age)")
            #expect(one.freeSlots == 1)
            let two = planner.plan(.init(name: "shared", state: Self.retried, concurrency: 2), now: now, facts: Self.queued)
            #expect(two.claims == [Self.other, Self.run], "age \(age)")
        }
        // Claimed once more, the retry is claimed with the new token only.
        let records = DispatchPlan(queue: "shared", claims: [Self.run]).records(at: Self.t0.addingTimeInterval(5),
                                                                                tokens: [Self.run: "t2"])
        let after = Self.retried.applying(records)
        #expect(after.item(Self.run)?.phase == .claimed && after.item(Self.run)?.token == "t2" && after.item(Self.run)?.claims == 1)
    }

    @Test("a retry counted live by a count made before its first attempt ended is not dropped")
    func staleLiveCount() {
        // The dispatcher counts live runs, then reads the queue under its lock; in between the
        // first attempt ended and its retry was queued.
        let state = QueueState(folding: [Self.record(.enqueue, at: 1)])
        let planner = DispatchPlanner(claimTimeout: 10)
        let now = Self.t0.addingTimeInterval(2)
        let one = planner.plan(.init(name: "shared", state: state, concurrency: 1, liveRuns: [Self.run]), now: now, facts: Self.queued)
        #expect(one.drops.isEmpty)
        #expect(one.claims.isEmpty)
        #expect(state.applying(one.records(at: now)).open.map(\.run) == [Self.run])
        let two = planner.plan(.init(name: "shared", state: state, concurrency: 2, liveRuns: [Self.run]), now: now, facts: Self.queued)
        #expect(two.drops.isEmpty)
        #expect(two.claims == [Self.run])
        // A run that really runs, or ended, is still dropped.
        for status in [RunStatus.running, .failed] {
            let plan = planner.plan(.init(name: "shared", state: state, concurrency: 1, liveRuns: [Self.run]), now: now) { _ in
                DispatchRunFacts(status: status)
            }
            #expect(plan.drops == [Self.run], "\(status)")
        }
    }

    @Test("the first attempt's agent loses the fence; the retry's agent passes it")
    func fence() {
        let claimed = Self.retried.applying([Self.record(.claim, at: 5, token: "t2")])
        let item = claimed.item(Self.run)
        let queuedRetry = Self.snapshot(.queued, attempt: "a2")
        // A late agent of the first attempt: the run is queued on another attempt, and the item
        // is claimed with another token.
        let old = QueuedStartFence(run: Self.run, attemptId: "a1", token: "t1")
        #expect(old.refusal(latest: queuedRetry, item: item) != nil)
        #expect(old.refusal(latest: Self.snapshot(.queued, attempt: "a1"), item: item) != nil)
        #expect(QueuedStartFence(run: Self.run, attemptId: "a2", token: "t2").refusal(latest: queuedRetry, item: item) == nil)
        // Before the retry is claimed, nobody may start it.
        #expect(QueuedStartFence(run: Self.run, attemptId: "a2", token: "t1").refusal(latest: queuedRetry,
                                                                                      item: Self.retried.item(Self.run)) != nil)
    }
}
