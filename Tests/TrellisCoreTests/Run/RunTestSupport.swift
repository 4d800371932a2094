@testable import TrellisCore

/// Shared builders of the run-planner suites, namespaced so nothing clashes with other suites.
enum RunTestSupport {
    /// A command step with these dependencies and `continue_on`.
    static func step(_ name: String, depends: [String] = [], continueOn: ContinueOn = ContinueOn()) -> Step {
        var step = Step(name: name)
        step.depends = depends
        step.continueOn = continueOn
        return step
    }

    /// Steps of a chain `a -> b -> …` in file order.
    static func chain(_ names: [String]) -> [Step] {
        names.indices.map { step(names[$0], depends: $0 == 0 ? [] : [names[$0 - 1]]) }
    }

    /// The diamond `a -> (b, c) -> d`.
    static var diamond: [Step] {
        [step("a"), step("b", depends: ["a"]), step("c", depends: ["a"]), step("d", depends: ["b", "c"])]
    }

    /// A `continue_on` value.
    static func continueOn(
        failed: Bool = false,
        skipped: Bool = false,
        exitCodes: [Int] = [],
        output: [String] = [],
        markSuccess: Bool = false
    ) -> ContinueOn {
        var value = ContinueOn()
        value.failed = failed
        value.skipped = skipped
        value.exitCodes = exitCodes
        value.output = output
        value.markSuccess = markSuccess
        return value
    }

    /// A node state.
    static func node(
        _ name: String,
        _ status: NodeStatus,
        exitCode: Int? = nil,
        outputMatched: Bool = false,
        retryCount: Int = 0
    ) -> NodeState {
        NodeState(name: name, status: status, exitCode: exitCode, outputMatched: outputMatched, retryCount: retryCount)
    }
}
