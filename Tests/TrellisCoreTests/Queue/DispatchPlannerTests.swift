import Foundation
import Testing
import TrellisCore

@Suite("Queue dispatch planner: slots, FIFO claims, drops, suspend, stale claims (§14.2, §14.3)")
struct DispatchPlannerTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A queue file written as `op:run` (`run` = `etl:<id>`, seconds after t0 in order), with
    /// the runs' statuses as `id: status`; `priority` marks `high` enqueues with `!`.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var records: [String]
        var runs: [String: RunStatus]
        var concurrency: Int = 1
        var live: [String] = []
        var inFlight: [String] = []
        var claims: [String] = []
        var drops: [String] = []
        var finished: [String] = []
        var free: Int
        var description: String { name }
    }

    static func ref(_ id: String) -> RunRef { RunRef(name: "etl", id: id) }

    static func state(_ lines: [String]) -> QueueState {
        QueueState(folding: lines.enumerated().map { index, line in
            let parts = line.split(separator: ":").map(String.init)
            let high = parts[1].hasPrefix("!")
            let id = high ? String(parts[1].dropFirst()) : parts[1]
            return QueueRecord(QueueRecord.Op(rawValue: parts[0])!, ref(id), at: t0.addingTimeInterval(Double(index)),
                               priority: parts[0] == "enqueue" ? (high ? .high : .low) : nil)
        })
    }

    static let cases: [Case] = [
        Case(name: "empty queue", records: [], runs: [:], free: 1),
        Case(name: "one slot: the head is claimed", records: ["enqueue:a", "enqueue:b"],
             runs: ["a": .queued, "b": .queued], claims: ["a"], free: 1),
        Case(name: "FIFO over three slots", records: ["enqueue:a", "enqueue:b", "enqueue:c", "enqueue:d"],
             runs: ["a": .queued, "b": .queued, "c": .queued, "d": .queued], concurrency: 3, claims: ["a", "b", "c"], free: 3),
        Case(name: "high before low, FIFO within each", records: ["enqueue:a", "enqueue:!b", "enqueue:c", "enqueue:!d"],
             runs: ["a": .queued, "b": .queued, "c": .queued, "d": .queued], concurrency: 3, claims: ["b", "d", "a"], free: 3),
        Case(name: "a direct start fills the only slot", records: ["enqueue:a"], runs: ["a": .queued, "x": .running],
             live: ["x"], free: 0),
        Case(name: "direct starts beyond the limit: no slot, never negative", records: ["enqueue:a"],
             runs: ["a": .queued], concurrency: 2, live: ["x", "y", "z"], free: 0),
        Case(name: "a claim not yet running holds its slot", records: ["enqueue:a", "enqueue:b", "claim:a"],
             runs: ["a": .queued, "b": .queued], concurrency: 2, claims: ["b"], free: 1),
        Case(name: "a claim in flight holds its slot", records: ["enqueue:a", "enqueue:b", "claim:a"],
             runs: ["a": .queued, "b": .queued], inFlight: ["a"], free: 0),
        Case(name: "a running claim counted live is not counted twice", records: ["enqueue:a", "enqueue:b", "claim:a"],
             runs: ["a": .running, "b": .queued], concurrency: 2, live: ["a"], claims: ["b"], free: 1),
        Case(name: "a claim that started after the count still holds its slot", records: ["enqueue:a", "enqueue:b", "claim:a"],
             runs: ["a": .running, "b": .queued], free: 0),
        Case(name: "done frees the slot", records: ["enqueue:a", "enqueue:b", "claim:a", "done:a"],
             runs: ["a": .succeeded, "b": .queued], claims: ["b"], free: 1),
        Case(name: "missing, finished and running open items are dropped, not claimed",
             records: ["enqueue:gone", "enqueue:over", "enqueue:busy", "enqueue:next"],
             runs: ["over": .aborted, "busy": .running, "next": .queued], concurrency: 2, live: ["busy"],
             claims: ["next"], drops: ["gone", "over", "busy"], free: 1),
        Case(name: "drops at the head happen even with no free slot; the walk stops at the first waiting run",
             records: ["enqueue:gone", "enqueue:a", "enqueue:stale"], runs: ["a": .queued, "stale": .failed, "x": .running],
             live: ["x"], drops: ["gone"], free: 0),
        Case(name: "a claimed run that ended without done gets done", records: ["enqueue:a", "claim:a"],
             runs: ["a": .failed], finished: ["a"], free: 1),
        Case(name: "a claimed run that is gone is dropped", records: ["enqueue:a", "claim:a", "enqueue:b"],
             runs: ["b": .queued], claims: ["b"], drops: ["a"], free: 1),
        Case(name: "a direct start recorded with start holds a slot while it runs", records: ["start:x", "enqueue:a"],
             runs: ["x": .running, "a": .queued], free: 0),
        Case(name: "a recorded direct start that ended gets done", records: ["start:x", "enqueue:a"],
             runs: ["x": .succeeded, "a": .queued], claims: ["a"], finished: ["x"], free: 1),
    ]

    @Test("one queue", arguments: cases)
    func table(_ c: Case) {
        let planner = DispatchPlanner(claimTimeout: 10)
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.state(c.records), concurrency: c.concurrency,
                                               liveRuns: Set(c.live.map(Self.ref)))
        // Records are one second apart from t0: every claim is younger than the claim timeout
        // (``claimAge`` covers older ones).
        let plan = planner.plan(input, inFlight: Set(c.inFlight.map(Self.ref)), now: Self.t0.addingTimeInterval(5)) { run in
            c.runs[run.id].map { DispatchRunFacts(status: $0) }
        }
        #expect(plan.claims == c.claims.map(Self.ref))
        #expect(plan.drops == c.drops.map(Self.ref))
        #expect(plan.finished == c.finished.map(Self.ref))
        #expect(plan.expiredClaims.isEmpty)
        #expect(plan.aborts.isEmpty)
        #expect(plan.freeSlots == c.free)
    }

    @Test("a fresh claim that is still queued holds its slot; it expires only after the claim timeout")
    func claimAge() {
        let planner = DispatchPlanner(claimTimeout: 10)
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.state(["enqueue:a", "claim:a", "enqueue:b"]), concurrency: 1)
        let facts: (RunRef) -> DispatchRunFacts? = { _ in DispatchRunFacts(status: .queued) }
        // The claim record is at t0 + 1 s.
        let young = planner.plan(input, now: Self.t0.addingTimeInterval(10.9), facts: facts)
        #expect(young.expiredClaims.isEmpty)
        #expect(young.claims.isEmpty)
        let old = planner.plan(input, now: Self.t0.addingTimeInterval(11), facts: facts)
        #expect(old.expiredClaims == [Self.ref("a")])
        #expect(old.claims == [Self.ref("b")])
        #expect(old.claimTimeoutError == "run agent did not start within 10 s of the claim")
        // A claim whose start this dispatcher still waits for never expires here: the start settles it.
        let waiting = planner.plan(input, inFlight: [Self.ref("a")], now: Self.t0.addingTimeInterval(60), facts: facts)
        #expect(waiting.expiredClaims.isEmpty)
        #expect(waiting.claims.isEmpty)
        // An expired claim takes no slot any more, whatever its age beyond the timeout.
        #expect(planner.plan(input, now: Self.t0.addingTimeInterval(3600), facts: facts).claims == [Self.ref("b")])
    }

    // MARK: - Lost claims: reopened, claimed again, bounded

    /// `op:id` or `claim:id#token`, one second apart from t0.
    static func fenced(_ lines: [String]) -> QueueState {
        QueueState(folding: lines.enumerated().map { index, line in
            let parts = line.split(separator: ":").map(String.init)
            let idAndToken = parts[1].split(separator: "#").map(String.init)
            return QueueRecord(QueueRecord.Op(rawValue: parts[0])!, ref(idAndToken[0]), at: t0.addingTimeInterval(Double(index)),
                               token: idAndToken.count > 1 ? idAndToken[1] : nil)
        })
    }

    static func queued(_ run: RunRef) -> DispatchRunFacts? { DispatchRunFacts(status: .queued) }

    @Test("a lost claim with a token is reopened and claimed again in its place, before later runs")
    func lostClaimReopened() {
        let planner = DispatchPlanner(claimTimeout: 10)
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.fenced(["enqueue:a", "enqueue:b", "claim:a#t1"]), concurrency: 1)
        // The claim record is at t0 + 2 s: still fresh at t0 + 11.9 s.
        let young = planner.plan(input, now: Self.t0.addingTimeInterval(11.9), facts: Self.queued)
        #expect(young.isEmpty)
        let plan = planner.plan(input, now: Self.t0.addingTimeInterval(12), facts: Self.queued)
        #expect(plan.reopened == [Self.ref("a")])
        #expect(plan.expiredClaims.isEmpty)
        #expect(plan.claims == [Self.ref("a")])
        #expect(plan.freeSlots == 1)
        let records = plan.records(at: Self.t0.addingTimeInterval(12), tokens: [Self.ref("a"): "t2"])
        #expect(records.map { "\($0.op.rawValue):\($0.runId)" } == ["reopen:a", "claim:a"])
        #expect(records[0].error == "run agent did not start within 10 s of the claim")
        #expect(records.map(\.token) == [nil, "t2"])
        // The fold: claimed again with the new token, twice in all, still ahead of b.
        let after = input.state.applying(records)
        let item = after.item(Self.ref("a"))
        #expect(item?.phase == .claimed && item?.token == "t2" && item?.claims == 2)
        #expect(after.open.map(\.run.id) == ["b"])
    }

    @Test("a lost claim without a free slot is reopened and waits, open, in its place")
    func lostClaimWaits() {
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.fenced(["enqueue:a", "enqueue:b", "claim:a#t1"]), concurrency: 1,
                                               liveRuns: [Self.ref("x")])
        let plan = DispatchPlanner(claimTimeout: 10).plan(input, now: Self.t0.addingTimeInterval(60), facts: Self.queued)
        #expect(plan.reopened == [Self.ref("a")])
        #expect(plan.claims.isEmpty)
        #expect(plan.freeSlots == 0)
        let after = input.state.applying(plan.records(at: Self.t0.addingTimeInterval(60)))
        #expect(after.open.map(\.run.id) == ["a", "b"])
        #expect(after.item(Self.ref("a"))?.token == nil)
        #expect(after.item(Self.ref("a"))?.claims == 1)
    }

    @Test("lost claims are reopened maxReopens times; the next lost claim fails the run", arguments: [
        (["enqueue:a", "claim:a#t1"], "reopened"),
        (["enqueue:a", "claim:a#t1", "reopen:a", "claim:a#t2"], "reopened"),
        (["enqueue:a", "claim:a#t1", "reopen:a", "claim:a#t2", "reopen:a", "claim:a#t3"], "failed"),
        // A claim written without a token (an earlier version): its agent cannot be fenced.
        (["enqueue:a", "claim:a"], "failed"),
        (["enqueue:a", "claim:a", "reopen:a", "claim:a#t2"], "reopened"),
    ])
    func reopenBound(records: [String], outcome: String) {
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.fenced(records), concurrency: 1)
        let plan = DispatchPlanner(claimTimeout: 10, maxReopens: 2).plan(input, now: Self.t0.addingTimeInterval(60), facts: Self.queued)
        if outcome == "reopened" {
            #expect(plan.reopened == [Self.ref("a")])
            #expect(plan.expiredClaims.isEmpty)
            #expect(plan.claims == [Self.ref("a")])
        } else {
            #expect(plan.reopened.isEmpty)
            #expect(plan.expiredClaims == [Self.ref("a")])
            #expect(plan.claims.isEmpty)
            let drop = plan.records(at: Self.t0).last
            #expect(drop?.op == .drop && drop?.error == "run agent did not start within 10 s of the claim")
        }
    }

    @Test("a claim in flight, running, or ended is never reopened; maxReopens 0 fails the first lost claim")
    func notReopened() {
        let planner = DispatchPlanner(claimTimeout: 10)
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.fenced(["enqueue:a", "claim:a#t1", "enqueue:b"]), concurrency: 1)
        let late = Self.t0.addingTimeInterval(3600)
        let inFlight = planner.plan(input, inFlight: [Self.ref("a")], now: late, facts: Self.queued)
        #expect(inFlight.isEmpty)
        let running = planner.plan(input, now: late) { $0.id == "a" ? DispatchRunFacts(status: .running) : DispatchRunFacts(status: .queued) }
        #expect(running.isEmpty)
        let ended = planner.plan(input, now: late) { $0.id == "a" ? DispatchRunFacts(status: .succeeded) : DispatchRunFacts(status: .queued) }
        #expect(ended.reopened.isEmpty && ended.finished == [Self.ref("a")] && ended.claims == [Self.ref("b")])
        let never = DispatchPlanner(claimTimeout: 10, maxReopens: 0).plan(input, now: late, facts: Self.queued)
        #expect(never.reopened.isEmpty && never.expiredClaims == [Self.ref("a")] && never.claims == [Self.ref("b")])
    }

    @Test("a reopened scheduler-triggered run of a DAG suspended meanwhile is aborted, not claimed again")
    func reopenedSuspended() {
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.fenced(["enqueue:a", "claim:a#t1", "enqueue:b"]), concurrency: 1)
        let plan = DispatchPlanner(claimTimeout: 10).plan(input, now: Self.t0.addingTimeInterval(60)) { run in
            run.id == "a" ? DispatchRunFacts(status: .queued, triggerType: .scheduler, dagSuspended: true) : DispatchRunFacts(status: .queued)
        }
        #expect(plan.reopened == [Self.ref("a")])
        #expect(plan.aborts == [Self.ref("a")])
        #expect(plan.claims == [Self.ref("b")])
        let records = plan.records(at: Self.t0.addingTimeInterval(60), tokens: [Self.ref("b"): "tb"])
        #expect(records.map { "\($0.op.rawValue):\($0.runId)" } == ["reopen:a", "drop:a", "claim:b"])
        #expect(input.state.applying(records).item(Self.ref("a")) == nil)
    }

    @Test("scheduler-triggered runs of a suspended DAG are aborted; other runs of it still dispatch", arguments: [
        (TriggerType.scheduler, true, ["aborted"]),
        (TriggerType.scheduler, false, ["claimed"]),
        (TriggerType.manual, true, ["claimed"]),
        (TriggerType.retry, true, ["claimed"]),
    ])
    func suspended(trigger: TriggerType, suspended: Bool, outcome: [String]) {
        let input = DispatchPlanner.QueueInput(name: "etl", state: Self.state(["enqueue:a", "enqueue:b"]), concurrency: 1)
        let plan = DispatchPlanner().plan(input, now: Self.t0) { run in
            run.id == "a" ? DispatchRunFacts(status: .queued, triggerType: trigger, dagSuspended: suspended)
                : DispatchRunFacts(status: .queued)
        }
        if outcome == ["aborted"] {
            #expect(plan.aborts == [Self.ref("a")])
            // An aborted item takes no slot: the next run is claimed.
            #expect(plan.claims == [Self.ref("b")])
        } else {
            #expect(plan.aborts.isEmpty)
            #expect(plan.claims == [Self.ref("a")])
        }
    }

    @Test("records: done, reopen, drops, then claims in order with their tokens; reopens and drops of aborted and expired runs carry the error")
    func records() {
        let plan = DispatchPlan(queue: "etl", claims: [Self.ref("c1"), Self.ref("c2")], drops: [Self.ref("d")],
                                aborts: [Self.ref("s")], reopened: [Self.ref("r")], expiredClaims: [Self.ref("e")],
                                finished: [Self.ref("f")], claimTimeoutError: "run agent did not start within 10 s of the claim")
        let records = plan.records(at: Self.t0, tokens: [Self.ref("c1"): "k1", Self.ref("c2"): "k2"])
        #expect(records.map { "\($0.op.rawValue):\($0.runId)" } == ["done:f", "reopen:r", "drop:d", "drop:s", "drop:e", "claim:c1", "claim:c2"])
        let timeout = "run agent did not start within 10 s of the claim"
        #expect(records.map(\.error) == [nil, timeout, nil, "DAG suspended before dispatch", timeout, nil, nil])
        #expect(records.map(\.token) == [nil, nil, nil, nil, nil, "k1", "k2"])
        #expect(records.allSatisfy { $0.at == Self.t0 && $0.dag == "etl" })
        #expect(!plan.isEmpty)
        #expect(DispatchPlan(queue: "etl").isEmpty)
    }

    @Test("only the runs the plan depends on are read")
    func lazyReads() {
        var read: [String] = []
        let state = Self.state((1...50).map { "enqueue:r\($0)" })
        let plan = DispatchPlanner().plan(DispatchPlanner.QueueInput(name: "etl", state: state, concurrency: 2), now: Self.t0) { run in
            read.append(run.id)
            return DispatchRunFacts(status: .queued)
        }
        #expect(plan.claims == [Self.ref("r1"), Self.ref("r2")])
        #expect(read == ["r1", "r2", "r3"])
    }

    @Test("several queues are planned independently", arguments: [1, 2])
    func severalQueues(concurrency: Int) {
        let etl = DispatchPlanner.QueueInput(name: "etl", state: Self.state(["enqueue:a", "enqueue:b"]), concurrency: concurrency)
        let other = DispatchPlanner.QueueInput(name: "other", state: Self.state(["enqueue:c"]), concurrency: 1,
                                               liveRuns: [RunRef(name: "other", id: "x")])
        let plans = DispatchPlanner().plan([etl, other], now: Self.t0) { _ in DispatchRunFacts(status: .queued) }
        #expect(plans.map(\.queue) == ["etl", "other"])
        #expect(plans[0].claims.count == concurrency)
        #expect(plans[1].claims.isEmpty)
    }

    @Test("concurrency: global queue, the DAG's own queue, an undeclared queue (§14.1)", arguments: [
        ("batch", 3),   // declared global queue
        ("etl", 4),     // the DAG's own queue: max_active_runs
        ("nowhere", 1), // undeclared `queue:` name
        ("zero", 1),    // a global queue never has fewer than one slot
    ])
    func concurrency(queue: String, expected: Int) throws {
        let globals = [QueueConfig(name: "batch", maxConcurrency: 3), QueueConfig(name: "zero", maxConcurrency: 0)]
        let loaded = DAGLoader.load(text: "max_active_runs: 4\nsteps:\n  - {name: a, command: 'true'}\n", fileName: "etl.yaml")
        let dag = try #require(loaded.dag)
        #expect(DispatchPlanner.concurrency(of: queue, globalQueues: globals, dag: queue == "nowhere" ? nil : dag) == expected)
        // A global queue's limit wins over the DAG's.
        #expect(DispatchPlanner.concurrency(of: "batch", globalQueues: globals, dag: dag) == 3)
    }
}
