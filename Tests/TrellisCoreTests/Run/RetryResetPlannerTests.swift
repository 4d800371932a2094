import Testing
@testable import TrellisCore

@Suite("Manual retry reset (§13.1)")
struct RetryResetPlannerTests {
    typealias Support = RunTestSupport

    /// Steps: chain `a -> b -> c -> d`; diamond `a -> (b, c) -> d`; two branches `x1 -> x2`,
    /// `y1 -> y2 -> y3`.
    static let chain = Support.chain(["a", "b", "c", "d"])
    static let branches = Support.chain(["x1", "x2"]) + Support.chain(["y1", "y2", "y3"])

    /// The step shapes the rows name.
    static let shapes: [String: [Step]] = ["chain": chain, "diamond": Support.diamond, "branches": branches]

    /// One case: the shape, the previous attempt's statuses in file order, the nodes expected to
    /// be reset.
    static let defaultRows: [(String, String, [NodeStatus], [String])] = [
        ("chain: failure and its aborted dependents", "chain", [.succeeded, .failed, .aborted, .aborted], ["b", "c", "d"]),
        ("chain: downstream reset whatever its status", "chain", [.succeeded, .failed, .notStarted, .skipped], ["b", "c", "d"]),
        ("chain: a continued failure resets what ran after it", "chain", [.failed, .succeeded, .succeeded, .succeeded], ["a", "b", "c", "d"]),
        ("chain: a stopped run", "chain", [.succeeded, .aborted, .notStarted, .notStarted], ["b", "c", "d"]),
        ("chain: retrying counts as failed", "chain", [.succeeded, .succeeded, .retrying, .notStarted], ["c", "d"]),
        ("chain: rejected", "chain", [.succeeded, .rejected, .aborted, .aborted], ["b", "c", "d"]),
        ("chain: everything succeeded", "chain", [.succeeded, .succeeded, .succeeded, .succeeded], []),
        ("chain: skips and partial successes are kept", "chain", [.skipped, .skipped, .partiallySucceeded, .succeeded], []),
        ("chain: not started nodes are kept as they are", "chain", [.succeeded, .notStarted, .notStarted, .notStarted], []),
        ("diamond: one failed branch", "diamond", [.succeeded, .failed, .succeeded, .aborted], ["b", "d"]),
        ("diamond: failed root", "diamond", [.failed, .aborted, .aborted, .aborted], ["a", "b", "c", "d"]),
        ("diamond: only the join failed", "diamond", [.succeeded, .succeeded, .succeeded, .failed], ["d"]),
        ("diamond: both branches failed", "diamond", [.succeeded, .failed, .failed, .aborted], ["b", "c", "d"]),
        ("branches: the other branch keeps its state", "branches", [.succeeded, .succeeded, .failed, .aborted, .aborted], ["y1", "y2", "y3"]),
        ("branches: a failure in the middle", "branches", [.succeeded, .failed, .succeeded, .failed, .aborted], ["x2", "y2", "y3"]),
    ]

    @Test("default: failed, aborted, rejected, retrying and everything downstream", arguments: defaultRows)
    func defaultReset(_ label: String, shape: String, statuses: [NodeStatus], expected: [String]) throws {
        let steps = try #require(Self.shapes[shape])
        let previous = zip(steps, statuses).map { Support.node($0.name, $1, exitCode: $1 == .failed ? 1 : 0, retryCount: 2) }
        let result = RetryResetPlanner(steps: steps).reset(previous: previous)
        #expect(result.reset == expected, "\(label)")
        #expect(result.states.map(\.name) == steps.map(\.name), "\(label)")
        for (state, old) in zip(result.states, previous) {
            if expected.contains(state.name) {
                #expect(state == NodeState(name: state.name), "\(label): \(state.name) is fresh")
            } else {
                #expect(state == old, "\(label): \(state.name) keeps its state")
            }
        }
    }

    @Test("reset follows depends, not file order")
    func dependentsBeforeDependencies() {
        let steps = [Support.step("c", depends: ["b"]), Support.step("b", depends: ["a"]), Support.step("a"), Support.step("z")]
        let previous = [Support.node("c", .aborted), Support.node("b", .aborted), Support.node("a", .failed), Support.node("z", .succeeded)]
        let result = RetryResetPlanner(steps: steps).reset(previous: previous)
        #expect(result.reset == ["c", "b", "a"])
        #expect(result.states.map(\.status) == [.notStarted, .notStarted, .notStarted, .succeeded])
    }

    @Test("without a previous node state the whole DAG runs", arguments: [nil, [NodeState]()])
    func noPreviousState(previous: [NodeState]?) {
        let result = RetryResetPlanner(steps: Support.diamond).reset(previous: previous)
        #expect(result.reset == ["a", "b", "c", "d"])
        #expect(result.states == ["a", "b", "c", "d"].map { NodeState(name: $0) })
    }

    @Test("a step missing from the previous attempt starts fresh")
    func missingNode() {
        let result = RetryResetPlanner(steps: Self.chain).reset(previous: [Support.node("a", .succeeded), Support.node("b", .succeeded)])
        #expect(result.reset.isEmpty)
        #expect(result.states.map(\.status) == [.succeeded, .succeeded, .notStarted, .notStarted])
    }

    @Test("--step resets only that node, with a fresh retry budget")
    func singleStep() throws {
        let previous = [
            Support.node("a", .succeeded), Support.node("b", .failed, exitCode: 2, retryCount: 3),
            Support.node("c", .aborted), Support.node("d", .aborted),
        ]
        let result = try RetryResetPlanner(steps: Self.chain).reset(previous: previous, step: "b")
        #expect(result.reset == ["b"])
        #expect(result.states == [previous[0], NodeState(name: "b"), previous[2], previous[3]])
        #expect(result.states[1].retryCount == 0)
    }

    @Test("--step may name a node that succeeded; downstream keeps its state")
    func singleSucceededStep() throws {
        let previous = Support.diamond.map { Support.node($0.name, .succeeded, exitCode: 0) }
        let result = try RetryResetPlanner(steps: Support.diamond).reset(previous: previous, step: "a")
        #expect(result.reset == ["a"])
        #expect(result.states.map(\.status) == [.notStarted, .succeeded, .succeeded, .succeeded])
    }

    @Test("--step with an unknown name is an error")
    func unknownStep() {
        #expect(throws: RetryResetError.unknownStep("nope")) {
            try RetryResetPlanner(steps: Self.chain).reset(previous: [], step: "nope")
        }
        #expect(RetryResetError.unknownStep("nope").description == "retry: step \"nope\" is not a step of this DAG")
    }
}
