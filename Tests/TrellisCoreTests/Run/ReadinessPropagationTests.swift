import Testing
@testable import TrellisCore

@Suite("Readiness plans: propagation, max_active_steps, cancellation (§12.1, §12.2)")
struct ReadinessPropagationTests {
    typealias Support = RunTestSupport

    static func aborted(_ name: String, _ reason: String) -> NodeChange {
        NodeChange(name: name, status: .aborted, error: reason)
    }

    static func skipped(_ name: String) -> NodeChange {
        NodeChange(name: name, status: .skipped)
    }

    @Test("a failure aborts a whole chain")
    func failedChain() {
        let planner = ReadinessPlanner(steps: Support.chain(["a", "b", "c", "d"]))
        let plan = planner.plan(states: [Support.node("a", .failed, exitCode: 1)])
        #expect(plan.changes == [
            Self.aborted("b", "upstream step failed"),
            Self.aborted("c", "upstream step aborted"),
            Self.aborted("d", "upstream step aborted"),
        ])
        #expect(plan.ready.isEmpty)
        #expect(plan.toStart.isEmpty)
    }

    @Test("a skip skips a whole chain")
    func skippedChain() {
        let planner = ReadinessPlanner(steps: Support.chain(["a", "b", "c"]))
        let plan = planner.plan(states: [Support.node("a", .skipped)])
        #expect(plan.changes == [Self.skipped("b"), Self.skipped("c")])
        #expect(plan.toStart.isEmpty)
    }

    @Test("a rejection aborts its dependents, and theirs")
    func rejectedChain() {
        let planner = ReadinessPlanner(steps: Support.chain(["a", "b", "c"]))
        let plan = planner.plan(states: [Support.node("a", .rejected)])
        #expect(plan.changes == [Self.aborted("b", "upstream step rejected"), Self.aborted("c", "upstream step aborted")])
    }

    @Test("a propagated skip stops at a node that continues on skipped")
    func skipStopsAtContinue() {
        var steps = Support.chain(["a", "b", "c", "d"])
        steps[1].continueOn = Support.continueOn(skipped: true)
        let plan = ReadinessPlanner(steps: steps).plan(states: [Support.node("a", .skipped)])
        #expect(plan.changes == [Self.skipped("b")])
        #expect(plan.ready == ["c"])
        #expect(plan.toStart == ["c"])
    }

    @Test("a propagated abort is not continued by continue_on")
    func abortIsNotContinued() {
        var steps = Support.chain(["a", "b", "c"])
        steps[1].continueOn = Support.continueOn(failed: true, skipped: true)
        let plan = ReadinessPlanner(steps: steps).plan(states: [Support.node("a", .failed)])
        #expect(plan.changes == [Self.aborted("b", "upstream step failed"), Self.aborted("c", "upstream step aborted")])
    }

    static let continuedFailures: [(String, ContinueOn, NodeState)] = [
        ("failed flag", Support.continueOn(failed: true), Support.node("a", .failed, exitCode: 1)),
        ("exit code", Support.continueOn(exitCodes: [0, 7]), Support.node("a", .failed, exitCode: 7)),
        ("output string", Support.continueOn(output: ["partial"]), Support.node("a", .failed, exitCode: 1, outputMatched: true)),
        ("re: output", Support.continueOn(output: ["re:^[0-9]+ rows$"]), Support.node("a", .failed, exitCode: 1, outputMatched: true)),
    ]

    @Test("a continued failure lets the chain go on", arguments: continuedFailures)
    func continuedFailure(_ label: String, continueOn: ContinueOn, state: NodeState) {
        var steps = Support.chain(["a", "b", "c"])
        steps[0].continueOn = continueOn
        let plan = ReadinessPlanner(steps: steps).plan(states: [state])
        #expect(plan.changes.isEmpty, "\(label)")
        #expect(plan.toStart == ["b"], "\(label)")
    }

    @Test("diamond: one failed branch aborts the join; the other branch is unaffected")
    func diamondFailedBranch() {
        let planner = ReadinessPlanner(steps: Support.diamond)
        let plan = planner.plan(states: [Support.node("a", .succeeded), Support.node("b", .failed), Support.node("c", .running)])
        #expect(plan.changes == [Self.aborted("d", "upstream step failed")])
        #expect(plan.toStart.isEmpty)
    }

    @Test("diamond: a failed root aborts everything below it")
    func diamondFailedRoot() {
        let plan = ReadinessPlanner(steps: Support.diamond).plan(states: [Support.node("a", .failed)])
        #expect(plan.changes == [
            Self.aborted("b", "upstream step failed"),
            Self.aborted("c", "upstream step failed"),
            Self.aborted("d", "upstream step aborted"),
        ])
    }

    @Test("diamond: a skipped root skips everything below it")
    func diamondSkippedRoot() {
        let plan = ReadinessPlanner(steps: Support.diamond).plan(states: [Support.node("a", .skipped)])
        #expect(plan.changes == [Self.skipped("b"), Self.skipped("c"), Self.skipped("d")])
    }

    @Test("diamond: the join waits for both branches, then starts")
    func diamondJoin() {
        let planner = ReadinessPlanner(steps: Support.diamond)
        let waiting = planner.plan(states: [Support.node("a", .succeeded), Support.node("b", .succeeded), Support.node("c", .retrying)])
        #expect(waiting.changes.isEmpty)
        #expect(waiting.toStart.isEmpty)
        let ready = planner.plan(states: [Support.node("a", .succeeded), Support.node("b", .succeeded), Support.node("c", .partiallySucceeded)])
        #expect(ready.toStart == ["d"])
    }

    @Test("diamond: the branches start together after the root")
    func diamondBranches() {
        let plan = ReadinessPlanner(steps: Support.diamond).plan(states: [Support.node("a", .succeeded)])
        #expect(plan.toStart == ["b", "c"])
    }

    @Test("propagation works when dependents come first in the file")
    func reverseFileOrder() {
        let steps = [
            Support.step("d", depends: ["c"]), Support.step("c", depends: ["b"]),
            Support.step("b", depends: ["a"]), Support.step("a"),
        ]
        let plan = ReadinessPlanner(steps: steps).plan(states: [Support.node("a", .failed)])
        #expect(plan.changes == [
            Self.aborted("b", "upstream step failed"),
            Self.aborted("c", "upstream step aborted"),
            Self.aborted("d", "upstream step aborted"),
        ])
    }

    @Test("a failure does not stop an independent branch")
    func independentBranch() {
        let steps = [Support.step("a"), Support.step("b", depends: ["a"]), Support.step("x"), Support.step("y", depends: ["x"])]
        let plan = ReadinessPlanner(steps: steps).plan(states: [Support.node("a", .failed), Support.node("x", .succeeded)])
        #expect(plan.changes == [Self.aborted("b", "upstream step failed")])
        #expect(plan.toStart == ["y"])
    }

    @Test("a fresh run starts every root in file order")
    func freshRun() {
        let steps = [Support.step("r1"), Support.step("child", depends: ["r1"]), Support.step("r2"), Support.step("r3")]
        let plan = ReadinessPlanner(steps: steps).plan(states: [])
        #expect(plan.changes.isEmpty)
        #expect(plan.toStart == ["r1", "r2", "r3"])
    }

    static let limitRows: [([String], Int, Int, [String])] = [
        (["a", "b", "c"], 0, 0, ["a", "b", "c"]),
        (["a", "b", "c"], 5, 0, ["a", "b", "c"]),
        (["a", "b", "c"], 0, 2, ["a", "b"]),
        (["a", "b", "c"], 1, 2, ["a"]),
        (["a", "b", "c"], 2, 2, []),
        (["a", "b", "c"], 3, 2, []),
        (["a", "b", "c"], 0, 1, ["a"]),
        (["c", "a", "b"], 0, 2, ["c", "a"]),
        ([], 0, 2, []),
    ]

    @Test("max_active_steps keeps file order (0 = no limit)", arguments: limitRows)
    func nextToStart(ready: [String], inFlight: Int, limit: Int, expected: [String]) {
        #expect(ReadinessPlanner.nextToStart(ready: ready, inFlight: inFlight, maxActiveSteps: limit) == expected)
    }

    @Test("running and retrying nodes hold slots")
    func slotsInPlan() {
        let steps = ["a", "b", "c", "d", "e"].map { Support.step($0) }
        let planner = ReadinessPlanner(steps: steps)
        let plan = planner.plan(states: [Support.node("a", .running), Support.node("b", .retrying)], maxActiveSteps: 3)
        #expect(plan.ready == ["c", "d", "e"])
        #expect(plan.toStart == ["c"])
        let finished = planner.plan(states: [Support.node("a", .succeeded), Support.node("b", .failed)], maxActiveSteps: 3)
        #expect(finished.toStart == ["c", "d", "e"])
        #expect(planner.plan(states: [], maxActiveSteps: 2).toStart == ["a", "b"])
    }

    @Test("after a cancellation nothing starts and nothing changes")
    func cancelled() {
        let steps = [Support.step("a"), Support.step("b", depends: ["a"]), Support.step("x")]
        let plan = ReadinessPlanner(steps: steps).plan(states: [Support.node("a", .failed)], cancelled: true)
        #expect(plan == ReadinessPlan(changes: [], ready: [], toStart: []))
        #expect(ReadinessPlanner(steps: steps).plan(states: [], cancelled: true).toStart.isEmpty)
    }

    @Test("applying a plan's changes leaves no further change")
    func fixpoint() {
        let planner = ReadinessPlanner(steps: Support.diamond + [Support.step("e", depends: ["d"])])
        let initial = [Support.node("a", .succeeded), Support.node("b", .skipped), Support.node("c", .failed)]
        let plan = planner.plan(states: initial)
        var states = NodeStates(initial)
        for change in plan.changes { states.apply(change) }
        #expect(states["d"].status == .aborted)
        #expect(states["d"].error == "upstream step failed")
        #expect(states["e"].status == .aborted)
        let again = planner.plan(states: planner.order.map { states[$0] })
        #expect(again.changes.isEmpty)
        #expect(again.toStart.isEmpty)
    }
}
