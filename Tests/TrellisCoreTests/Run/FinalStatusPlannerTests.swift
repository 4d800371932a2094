import Testing
@testable import TrellisCore

@Suite("Final run status (§12.3) and handlers (§9)")
struct FinalStatusPlannerTests {
    typealias Support = RunTestSupport

    /// One case: nodes named after their position's step, the `continue_on` of some steps,
    /// cancellation, run-level errors and the expected status.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var nodes: [NodeState]
        var continueOn: [String: ContinueOn] = [:]
        var cancelled = false
        var errors: [String] = []
        var expected: RunStatus

        var testDescription: String { label }
    }

    static let keepGoing = Support.continueOn(failed: true)
    static let markSuccess = Support.continueOn(failed: true, markSuccess: true)

    static let cases: [Case] = [
        // Rule 1: cancelled.
        Case(label: "1: cancelled with a node not started", nodes: [Support.node("a", .succeeded), Support.node("b", .notStarted)], cancelled: true, expected: .aborted),
        Case(label: "1: cancelled before any step (failed init)", nodes: [Support.node("a", .notStarted), Support.node("b", .notStarted)], cancelled: true, expected: .aborted),
        Case(label: "1: cancelled with an aborted node", nodes: [Support.node("a", .succeeded), Support.node("b", .aborted)], cancelled: true, expected: .aborted),
        Case(label: "1: cancelled with a continued failure", nodes: [Support.node("a", .failed), Support.node("b", .succeeded)], continueOn: ["a": keepGoing], cancelled: true, expected: .aborted),
        Case(label: "1: cancelled after everything succeeded", nodes: [Support.node("a", .succeeded), Support.node("b", .skipped)], cancelled: true, expected: .succeeded),
        Case(label: "1: cancelled after a node partially succeeded", nodes: [Support.node("a", .succeeded), Support.node("b", .partiallySucceeded)], cancelled: true, expected: .partiallySucceeded),
        Case(label: "1: cancelled; a mark_success failure counts as succeeded", nodes: [Support.node("a", .failed), Support.node("b", .succeeded)], continueOn: ["a": markSuccess], cancelled: true, expected: .succeeded),
        // Rule 2: nothing ran.
        Case(label: "2: every node not started", nodes: [Support.node("a", .notStarted), Support.node("b", .notStarted)], expected: .notStarted),
        Case(label: "2: not started but an error was recorded", nodes: [Support.node("a", .notStarted)], errors: ["DAG timed out after 1 s"], expected: .failed),
        // Rule 3: approvals.
        Case(label: "3: rejected beats failed", nodes: [Support.node("a", .rejected), Support.node("b", .failed)], expected: .rejected),
        Case(label: "3: rejected beats waiting", nodes: [Support.node("a", .waiting), Support.node("b", .rejected)], expected: .rejected),
        Case(label: "3: waiting", nodes: [Support.node("a", .succeeded), Support.node("b", .waiting)], expected: .waiting),
        Case(label: "3: waiting beats a recorded error", nodes: [Support.node("a", .waiting)], errors: ["boom"], expected: .waiting),
        // Rule 4: partial success.
        Case(label: "4: continued failure and a success", nodes: [Support.node("a", .failed, exitCode: 1), Support.node("b", .succeeded)], continueOn: ["a": keepGoing], expected: .partiallySucceeded),
        Case(label: "4: continued by exit code", nodes: [Support.node("a", .failed, exitCode: 3), Support.node("b", .succeeded)], continueOn: ["a": Support.continueOn(exitCodes: [3])], expected: .partiallySucceeded),
        Case(label: "4: continued by output", nodes: [Support.node("a", .failed, outputMatched: true), Support.node("b", .succeeded)], continueOn: ["a": Support.continueOn(output: ["re:^WARN"])], expected: .partiallySucceeded),
        Case(label: "4: a failure not continued spoils it", nodes: [Support.node("a", .failed), Support.node("b", .failed), Support.node("c", .succeeded)], continueOn: ["a": keepGoing], expected: .failed),
        Case(label: "4: unlisted exit code is not continued", nodes: [Support.node("a", .failed, exitCode: 1), Support.node("b", .succeeded)], continueOn: ["a": Support.continueOn(exitCodes: [3])], expected: .failed),
        Case(label: "4: only mark_success continues → succeeded", nodes: [Support.node("a", .failed), Support.node("b", .succeeded)], continueOn: ["a": markSuccess], expected: .succeeded),
        Case(label: "4: mark_success already recorded as succeeded", nodes: [Support.node("a", .succeeded), Support.node("b", .succeeded)], continueOn: ["a": markSuccess], expected: .succeeded),
        Case(label: "4: mark_success alone is not a continue", nodes: [Support.node("a", .failed), Support.node("b", .succeeded)], continueOn: ["a": Support.continueOn(markSuccess: true)], expected: .failed),
        Case(label: "4: mark_success plus another continued failure", nodes: [Support.node("a", .failed), Support.node("b", .failed), Support.node("c", .succeeded)], continueOn: ["a": markSuccess, "b": keepGoing], expected: .partiallySucceeded),
        Case(label: "4: a node partially succeeded", nodes: [Support.node("a", .partiallySucceeded), Support.node("b", .succeeded)], expected: .partiallySucceeded),
        Case(label: "4: a lone partially succeeded node", nodes: [Support.node("a", .partiallySucceeded)], expected: .partiallySucceeded),
        Case(label: "4: continued failure but nothing succeeded → failed", nodes: [Support.node("a", .failed), Support.node("b", .skipped)], continueOn: ["a": keepGoing], expected: .failed),
        Case(label: "4: only mark_success failures and nothing else", nodes: [Support.node("a", .failed)], continueOn: ["a": markSuccess], expected: .succeeded),
        Case(label: "4: first match wins over a recorded error", nodes: [Support.node("a", .failed), Support.node("b", .succeeded), Support.node("c", .aborted)], continueOn: ["a": keepGoing], errors: ["DAG timed out after 5 s"], expected: .partiallySucceeded),
        // Rule 5: recorded errors.
        Case(label: "5: a failed node", nodes: [Support.node("a", .succeeded), Support.node("b", .failed)], expected: .failed),
        Case(label: "5: DAG timeout", nodes: [Support.node("a", .succeeded), Support.node("b", .aborted), Support.node("c", .notStarted)], errors: ["DAG timed out after 5 s"], expected: .failed),
        Case(label: "5: a run error with every node succeeded", nodes: [Support.node("a", .succeeded)], errors: ["boom"], expected: .failed),
        Case(label: "5: an aborted node", nodes: [Support.node("a", .succeeded), Support.node("b", .aborted)], expected: .failed),
        // Rule 6: success.
        Case(label: "6: all succeeded", nodes: [Support.node("a", .succeeded), Support.node("b", .succeeded)], expected: .succeeded),
        Case(label: "6: all skipped", nodes: [Support.node("a", .skipped), Support.node("b", .skipped)], expected: .succeeded),
        Case(label: "6: succeeded and skipped", nodes: [Support.node("a", .succeeded), Support.node("b", .skipped)], expected: .succeeded),
        Case(label: "6: succeeded and not started, nothing recorded", nodes: [Support.node("a", .succeeded), Support.node("b", .notStarted)], expected: .succeeded),
    ]

    @Test("first match wins", arguments: cases)
    func finalStatus(_ testCase: Case) {
        let steps = testCase.nodes.map { Support.step($0.name, continueOn: testCase.continueOn[$0.name] ?? ContinueOn()) }
        let status = FinalStatusPlanner(steps: steps).status(nodes: testCase.nodes, cancelled: testCase.cancelled, errors: testCase.errors)
        #expect(status == testCase.expected)
    }

    static let handlerRows: [(String, RunStatus, [NodeState], RunStatus)] = [
        ("failing success handler", .succeeded, [Support.node("onSuccess", .failed), Support.node("onExit", .succeeded)], .failed),
        ("failing exit handler", .succeeded, [Support.node("onSuccess", .succeeded), Support.node("onExit", .failed)], .failed),
        ("failing exit handler after partial success", .partiallySucceeded, [Support.node("onExit", .failed)], .failed),
        ("aborted exit handler", .succeeded, [Support.node("onExit", .aborted)], .failed),
        ("handlers succeeded", .succeeded, [Support.node("onSuccess", .succeeded), Support.node("onExit", .succeeded)], .succeeded),
        ("handler skipped by its precondition", .partiallySucceeded, [Support.node("onExit", .skipped)], .partiallySucceeded),
        ("no handlers", .succeeded, [], .succeeded),
        ("failing failure handler on a failed run", .failed, [Support.node("onFailure", .failed)], .failed),
        ("failing exit handler on an aborted run", .aborted, [Support.node("onAbort", .succeeded), Support.node("onExit", .failed)], .aborted),
        ("failing handler on a not-started run", .notStarted, [Support.node("onExit", .failed)], .notStarted),
    ]

    @Test("a failing handler turns a successful run into failed", arguments: handlerRows)
    func handlers(_ label: String, status: RunStatus, handlers: [NodeState], expected: RunStatus) {
        #expect(FinalStatusPlanner.applyingHandlers(handlers, to: status) == expected, "\(label)")
    }
}
