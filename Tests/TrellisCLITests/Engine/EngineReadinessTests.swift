import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §12.2 dependency readiness, row by row, through the real binary.
@Suite("Run engine: dependency readiness (§12.2)")
struct EngineReadinessTests {
    @Test("a succeeded dependency is satisfied: the dependent runs")
    func succeededDependency() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("ok", """
            steps:
              - {name: a, command: "echo a"}
              - {name: b, depends: a, command: "echo b"}
            """)
        let (status, run, _) = try home.start("ok")
        #expect(status == 0)
        #expect(run.status == .succeeded)
        #expect(run.nodeStatuses == ["a": "succeeded", "b": "succeeded"])
        #expect(home.stepLog(run, "b") == "b\n")
    }

    @Test("a partially_succeeded dependency (sub-DAG) is satisfied: the dependent runs; run partially_succeeded")
    func partiallySucceededDependency() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("halfchild", """
            steps:
              - {name: bad, command: "exit 1", continue_on: failed}
              - {name: good, command: "echo good"}
            """)
        try home.dag("halfparent", """
            steps:
              - {name: call, call: halfchild}
              - {name: after, depends: call, command: "echo after"}
            """)
        let (status, run, output) = try home.start("halfparent")
        #expect(status == 0, "\(output.stderr)")
        #expect(run.nodeStatuses == ["call": "partially_succeeded", "after": "succeeded"])
        #expect(run.node(named: "call")?.status.rawValue == 6)
        #expect(run.status == .partiallySucceeded)
        #expect(run.status.rawValue == 6)
        #expect(home.stepLog(run, "after") == "after\n")
    }

    @Test("a failed dependency without continue_on aborts the dependent: \"upstream step failed\"")
    func failedWithoutContinue() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("broken", """
            steps:
              - {name: a, command: "exit 4"}
              - {name: b, depends: a, command: "echo b"}
            """)
        let (status, run, _) = try home.start("broken")
        #expect(status == 1)
        #expect(run.status == .failed)
        #expect(run.nodeStatuses == ["a": "failed", "b": "aborted"])
        #expect(run.node(named: "a")?.exitCode == 4)
        #expect(run.node(named: "b")?.status.rawValue == 3)
        #expect(run.node(named: "b")?.error == "upstream step failed")
        #expect(run.node(named: "b")?.doneCount == 0)
    }

    @Test("continue_on: failed lets the dependent run after a failure")
    func continueOnFailed() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("cont", """
            steps:
              - {name: a, command: "exit 1", continue_on: {failed: true}}
              - {name: b, depends: a, command: "echo b"}
            """)
        let (status, run, _) = try home.start("cont")
        #expect(status == 0)
        #expect(run.nodeStatuses == ["a": "failed", "b": "succeeded"])
        #expect(run.status == .partiallySucceeded)
    }

    @Test("continue_on.exit_code: a listed exit code continues, another one aborts the dependent")
    func continueOnExitCode() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("codes", """
            steps:
              - {name: listed, command: "exit 3", continue_on: {exit_code: [2, 3]}}
              - {name: after-listed, depends: listed, command: "echo ran"}
              - {name: other, depends: [], command: "exit 4", continue_on: {exit_code: 3}}
              - {name: after-other, depends: other, command: "echo ran"}
            """)
        let (status, run, _) = try home.start("codes")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["listed": "failed", "after-listed": "succeeded", "other": "failed", "after-other": "aborted"])
        #expect(run.node(named: "after-other")?.error == "upstream step failed")
        #expect(run.status == .failed)
    }

    @Test("continue_on.output: a stdout line containing the string continues the failure")
    func continueOnOutputString() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("outcont", """
            steps:
              - name: a
                command: "echo 'line one'; echo 'WARN: disk almost full'; exit 1"
                continue_on: {output: "disk almost"}
              - {name: b, depends: a, command: "echo b"}
              - name: c
                depends: []
                command: "echo 'all fine'; exit 1"
                continue_on: {output: ["disk almost", "nothing"]}
              - {name: d, depends: c, command: "echo d"}
            """)
        let (status, run, _) = try home.start("outcont")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["a": "failed", "b": "succeeded", "c": "failed", "d": "aborted"])
        #expect(run.node(named: "a")?.outputMatched == true)
        #expect(run.node(named: "c")?.outputMatched == false)
    }

    @Test("continue_on.output with re:<regex> matches a stdout line")
    func continueOnOutputRegex() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("recont", """
            steps:
              - name: a
                command: "echo 'result code=42'; exit 1"
                continue_on: {output: "re:code=[0-9]+$"}
              - {name: b, depends: a, command: "echo b"}
              - name: c
                depends: []
                command: "echo 'result code=x'; exit 1"
                continue_on: {output: "re:code=[0-9]+$"}
              - {name: d, depends: c, command: "echo d"}
            """)
        let (status, run, _) = try home.start("recont")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["a": "failed", "b": "succeeded", "c": "failed", "d": "aborted"])
    }

    @Test("a skipped dependency without continue_on.skipped skips the dependent")
    func skippedWithoutContinue() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("skip", """
            steps:
              - {name: a, command: "echo a", preconditions: "false"}
              - {name: b, depends: a, command: "echo b"}
            """)
        let (status, run, _) = try home.start("skip")
        #expect(status == 0)
        #expect(run.nodeStatuses == ["a": "skipped", "b": "skipped"])
        #expect(run.node(named: "b")?.status.rawValue == 5)
        #expect(run.node(named: "b")?.doneCount == 0)
        #expect(run.node(named: "a")?.error == nil)
    }

    @Test("continue_on: skipped lets the dependent of a skipped step run")
    func continueOnSkipped() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("skipcont", """
            steps:
              - {name: a, command: "echo a", preconditions: "false", continue_on: skipped}
              - {name: b, depends: a, command: "echo b"}
            """)
        let (status, run, _) = try home.start("skipcont")
        #expect(status == 0)
        #expect(run.nodeStatuses == ["a": "skipped", "b": "succeeded"])
        #expect(home.stepLog(run, "b") == "b\n")
        #expect(run.status == .succeeded)
    }

    @Test("aborts propagate transitively through a diamond; an independent branch still runs")
    func diamondAbort() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("diamond", """
            steps:
              - {name: top, command: "exit 1"}
              - {name: left, depends: top, command: "echo left"}
              - {name: right, depends: top, command: "echo right"}
              - {name: bottom, depends: [left, right], command: "echo bottom"}
              - {name: tail, depends: bottom, command: "echo tail"}
              - {name: free, depends: [], command: "echo free"}
            """)
        let (status, run, _) = try home.start("diamond")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["top": "failed", "left": "aborted", "right": "aborted", "bottom": "aborted",
                                     "tail": "aborted", "free": "succeeded"])
        #expect(run.node(named: "left")?.error == "upstream step failed")
        for name in ["left", "right", "bottom", "tail"] {
            #expect(run.node(named: name)?.startedAt == nil, "\(name) never started")
        }
    }

    @Test("skips propagate transitively through a diamond")
    func diamondSkip() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("skipdiamond", """
            steps:
              - {name: top, command: "echo top", preconditions: {condition: "x", expected: "y"}}
              - {name: left, depends: top, command: "echo left"}
              - {name: right, depends: top, command: "echo right"}
              - {name: bottom, depends: [left, right], command: "echo bottom"}
            """)
        let (status, run, _) = try home.start("skipdiamond")
        #expect(status == 0)
        #expect(run.nodeStatuses == ["top": "skipped", "left": "skipped", "right": "skipped", "bottom": "skipped"])
        #expect(run.status == .succeeded)
    }

    @Test("a diamond where one side fails with continue_on and the other succeeds runs the bottom")
    func diamondMixed() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("mixed", """
            steps:
              - {name: top, command: "echo top"}
              - {name: left, depends: top, command: "exit 7", continue_on: {exit_code: 7}}
              - {name: right, depends: top, command: "echo right"}
              - {name: bottom, depends: [left, right], command: "echo bottom"}
            """)
        let (status, run, _) = try home.start("mixed")
        #expect(status == 0)
        #expect(run.nodeStatuses == ["top": "succeeded", "left": "failed", "right": "succeeded", "bottom": "succeeded"])
        #expect(run.status == .partiallySucceeded)
    }
}
