import Testing
@testable import TrellisCore

@Suite("Dependency readiness (§12.2)")
struct ReadinessPlannerTests {
    typealias Support = RunTestSupport

    static let failed = ReadinessDecision.abort(reason: "upstream step failed")
    static let aborted = ReadinessDecision.abort(reason: "upstream step aborted")
    static let rejected = ReadinessDecision.abort(reason: "upstream step rejected")

    /// Every row of the §12.2 table, for `b` depending on `a` with `a`'s `continue_on`.
    static let tableRows: [(String, NodeState, ContinueOn, ReadinessDecision)] = [
        ("succeeded", Support.node("a", .succeeded), Support.continueOn(), .ready),
        ("partially succeeded", Support.node("a", .partiallySucceeded), Support.continueOn(), .ready),
        ("failed, nothing set", Support.node("a", .failed, exitCode: 1), Support.continueOn(), failed),
        ("failed, failed flag", Support.node("a", .failed, exitCode: 1), Support.continueOn(failed: true), .ready),
        ("failed, listed exit code", Support.node("a", .failed, exitCode: 3), Support.continueOn(exitCodes: [3]), .ready),
        ("failed, unlisted exit code", Support.node("a", .failed, exitCode: 1), Support.continueOn(exitCodes: [3]), failed),
        ("failed, no exit code", Support.node("a", .failed), Support.continueOn(exitCodes: [3]), failed),
        ("failed, output matched", Support.node("a", .failed, outputMatched: true), Support.continueOn(output: ["re:^WARN"]), .ready),
        ("failed, output not matched", Support.node("a", .failed), Support.continueOn(output: ["re:^WARN"]), failed),
        ("failed, mark_success only", Support.node("a", .failed), Support.continueOn(markSuccess: true), failed),
        ("failed, skipped flag only", Support.node("a", .failed), Support.continueOn(skipped: true), failed),
        ("skipped, nothing set", Support.node("a", .skipped), Support.continueOn(), .skip),
        ("skipped, skipped flag", Support.node("a", .skipped), Support.continueOn(skipped: true), .ready),
        ("skipped, failed flag only", Support.node("a", .skipped), Support.continueOn(failed: true), .skip),
        ("aborted", Support.node("a", .aborted), Support.continueOn(), aborted),
        ("aborted, everything continued", Support.node("a", .aborted), Support.continueOn(failed: true, skipped: true), aborted),
        ("rejected", Support.node("a", .rejected), Support.continueOn(), rejected),
        ("rejected, everything continued", Support.node("a", .rejected), Support.continueOn(failed: true, skipped: true), rejected),
        ("not started", Support.node("a", .notStarted), Support.continueOn(), .wait),
        ("running", Support.node("a", .running), Support.continueOn(), .wait),
        ("retrying", Support.node("a", .retrying, exitCode: 1), Support.continueOn(failed: true), .wait),
        ("waiting", Support.node("a", .waiting), Support.continueOn(), .wait),
    ]

    @Test("one dependency", arguments: tableRows)
    func singleDependency(_ label: String, dependency: NodeState, continueOn: ContinueOn, expected: ReadinessDecision) {
        let planner = ReadinessPlanner(steps: [Support.step("a", continueOn: continueOn), Support.step("b", depends: ["a"])])
        let states = NodeStates([dependency])
        #expect(planner.decision(for: "b", in: states) == expected, "\(label)")
        #expect(planner.decisions(in: states)["b"] == expected, "\(label)")
    }

    @Test("a root is ready; a node that is not not_started gets no decision")
    func rootsAndStartedNodes() {
        let planner = ReadinessPlanner(steps: Support.chain(["a", "b"]))
        #expect(planner.decision(for: "a", in: NodeStates([])) == .ready)
        for status in NodeStatus.allCases where status != .notStarted {
            #expect(planner.decision(for: "a", in: NodeStates([Support.node("a", status)])) == nil)
            #expect(planner.decision(for: "b", in: NodeStates([Support.node("a", .succeeded), Support.node("b", status)])) == nil)
        }
        #expect(planner.decision(for: "missing", in: NodeStates([])) == nil)
    }

    /// `x` depends on `p`, `q` (in that order); `s` is skipped with `continue_on.skipped`.
    static let multiRows: [(String, [NodeState], ReadinessDecision)] = [
        ("all satisfied", [Support.node("p", .succeeded), Support.node("q", .partiallySucceeded)], .ready),
        ("one unfinished", [Support.node("p", .succeeded), Support.node("q", .running)], .wait),
        ("abort beats skip", [Support.node("p", .skipped), Support.node("q", .failed)], failed),
        ("abort beats skip, either order", [Support.node("p", .failed), Support.node("q", .skipped)], failed),
        ("abort does not wait for the rest", [Support.node("p", .running), Support.node("q", .failed)], failed),
        ("skip does not wait for the rest", [Support.node("p", .retrying), Support.node("q", .skipped)], .skip),
        ("first aborting dependency gives the reason", [Support.node("p", .rejected), Support.node("q", .failed)], rejected),
        ("first aborting dependency gives the reason, swapped", [Support.node("p", .aborted), Support.node("q", .rejected)], aborted),
    ]

    @Test("several dependencies", arguments: multiRows)
    func severalDependencies(_ label: String, states: [NodeState], expected: ReadinessDecision) {
        let planner = ReadinessPlanner(steps: [
            Support.step("p"), Support.step("q"), Support.step("x", depends: ["p", "q"]),
        ])
        #expect(planner.decision(for: "x", in: NodeStates(states)) == expected, "\(label)")
    }

    @Test("a continued skip among several dependencies")
    func continuedSkip() {
        let planner = ReadinessPlanner(steps: [
            Support.step("p"), Support.step("s", continueOn: Support.continueOn(skipped: true)),
            Support.step("x", depends: ["p", "s"]),
        ])
        #expect(planner.decision(for: "x", in: NodeStates([Support.node("p", .succeeded), Support.node("s", .skipped)])) == .ready)
        #expect(planner.decision(for: "x", in: NodeStates([Support.node("p", .skipped), Support.node("s", .skipped)])) == .skip)
    }
}
