import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §7.1 sub-DAG and §7.2 parallel sub-DAG steps.
@Suite("Run engine: sub-DAGs (§7.1, §7.2)")
struct EngineSubDAGTests {
    /// A child DAG that echoes its ITEM param as an output.
    private static let echoChild = """
        params: ITEM=none
        steps:
          - {name: echo, command: "echo item-$ITEM", output: RESULT_TEXT}
        """

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test("a sub-DAG step prints {name, dagRunId, params, outputs, status}")
    func singleStdout() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("child", Self.echoChild)
        try home.dag("parent", """
            steps:
              - {name: call, call: child, params: "ITEM=one"}
            """)
        let (status, run, output) = try home.start("parent")
        #expect(status == 0, "\(output.stderr)")
        let sub = try #require(run.node(named: "call")?.subRuns.first)
        let object = try json(home.stepLog(run, "call"))
        #expect(Set(object.keys) == ["name", "dagRunId", "params", "outputs", "status"])
        #expect(object["name"] as? String == "child")
        #expect(object["dagRunId"] as? String == sub.dagRunId)
        #expect(object["params"] as? String == "ITEM=one")
        #expect(object["status"] as? String == "succeeded")
        #expect(object["outputs"] as? [String: String] == ["resultText": "item-one"])
        let child = try #require(try home.latest(dag: "child", runID: sub.dagRunId))
        #expect(child.status == .succeeded)
        #expect(child.root == run.run)
    }

    @Test("the child gets only the given params, not the parent's env")
    func childEnvironment() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("kid", """
            params: GIVEN=none
            steps:
              - {name: show, command: 'echo "given=$GIVEN parent=$(printenv PARENT_ONLY || echo unset)"', output: SEEN}
            """)
        try home.dag("elder", """
            env:
              - PARENT_ONLY: secret
            steps:
              - {name: call, call: kid, params: "GIVEN=${PARENT_ONLY}-passed", output: R}
              - {name: use, command: 'echo "${R.outputs.seen}"'}
            """)
        let (status, run, output) = try home.start("elder")
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "use") == "given=secret-passed parent=unset\n")
    }

    @Test("stopping the parent stops its sub-DAG run: child aborted, node aborted")
    func stopParentStopsChild() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("sleepy", """
            max_clean_up_time_sec: 1
            steps:
              - {name: long, command: "sleep 30"}
            """)
        try home.dag("guardian", """
            max_clean_up_time_sec: 1
            steps:
              - {name: call, call: sleepy}
              - {name: after, command: "echo after"}
            """)
        let background = try home.startInBackground("guardian")
        defer { background.stop() }
        let sub = try home.waitFor("the child run") { () -> SubRunRecord? in
            guard let node = try home.latest(dag: "guardian", runID: background.runID)?.node(named: "call"),
                  let sub = node.subRuns.first,
                  try home.latest(dag: "sleepy", runID: sub.dagRunId)?.node(named: "long")?.status == .running else { return nil }
            return sub
        }
        #expect(try home.trellis(["stop", "guardian"]).status == 0)
        #expect(try background.exitStatus() == 1)
        let child = try #require(try home.latest(dag: "sleepy", runID: sub.dagRunId))
        #expect(child.status == .aborted)
        #expect(child.nodeStatuses == ["long": "aborted"])
        let run = try #require(try home.latest(dag: "guardian", runID: background.runID))
        #expect(run.status == .aborted)
        #expect(run.nodeStatuses == ["call": "aborted", "after": "not_started"])
    }

    @Test("parallel with a static list: one child run per item; summary, results and outputs")
    func parallelStatic() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("child", Self.echoChild)
        try home.dag("fanout", """
            steps:
              - name: fan
                call: child
                parallel: [a, b, c]
                params: "ITEM=${ITEM}"
            """)
        let (status, run, output) = try home.start("fanout")
        #expect(status == 0, "\(output.stderr)")
        let node = try #require(run.node(named: "fan"))
        #expect(node.status == .succeeded)
        #expect(Set(node.subRuns.map(\.params)) == ["ITEM=a", "ITEM=b", "ITEM=c"])
        #expect(Set(node.subRuns.map(\.dagRunId)).count == 3)
        #expect(node.subRuns.allSatisfy { $0.status == .succeeded })
        let object = try json(home.stepLog(run, "fan"))
        #expect(object["summary"] as? [String: Int] == ["total": 3, "succeeded": 3, "failed": 0])
        #expect((object["results"] as? [[String: Any]])?.count == 3)
        let outputs = try #require(object["outputs"] as? [[String: String]])
        #expect(Set(outputs.compactMap { $0["resultText"] }) == ["item-a", "item-b", "item-c"])
        for sub in node.subRuns {
            let child = try #require(try home.latest(dag: "child", runID: sub.dagRunId))
            #expect(child.triggerType == .subdag)
            #expect(child.parent == run.run)
        }
    }

    @Test("parallel items from an upstream output (${VAR} holding a JSON array)")
    func parallelFromOutput() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("child", Self.echoChild)
        try home.dag("dynamic", """
            steps:
              - {name: list, command: "echo '[\\"x\\", \\"y\\"]'", output: ITEMS}
              - name: fan
                call: child
                parallel: ${ITEMS}
                params: "ITEM=${ITEM}"
            """)
        let (status, run, output) = try home.start("dynamic")
        #expect(status == 0, "\(output.stderr)")
        let node = try #require(run.node(named: "fan"))
        #expect(Set(node.subRuns.map(\.params)) == ["ITEM=x", "ITEM=y"])
        let object = try json(home.stepLog(run, "fan"))
        #expect(object["summary"] as? [String: Int] == ["total": 2, "succeeded": 2, "failed": 0])
    }

    @Test("parallel max_concurrent bounds the children running at once")
    func maxConcurrent() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let log = home.path("concurrency.log")
        try home.dag("slowchild", """
            params: ITEM=none
            steps:
              - {name: work, command: 'echo "+ $ITEM" >> \(log); sleep 0.3; echo "- $ITEM" >> \(log)'}
            """)
        try home.dag("bounded", """
            steps:
              - name: fan
                call: slowchild
                parallel: {items: [1, 2, 3, 4], max_concurrent: 2}
                params: "ITEM=${ITEM}"
            """)
        let (status, run, output) = try home.start("bounded")
        #expect(status == 0, "\(output.stderr)")
        #expect(run.node(named: "fan")?.subRuns.count == 4)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        var running = 0
        var peak = 0
        for line in lines {
            running += line.hasPrefix("+") ? 1 : -1
            peak = max(peak, running)
        }
        #expect(peak <= 2, "at most 2 children at once: \(lines)")
        #expect(peak >= 1)
    }

    @Test("a failing child fails the node: \"sub-DAG run <id> ended failed\"")
    func failingChild() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("badchild", """
            steps:
              - {name: boom, command: "exit 3"}
            """)
        try home.dag("caller", """
            steps:
              - {name: call, call: badchild}
              - {name: after, command: "echo after"}
            """)
        let (status, run, _) = try home.start("caller")
        #expect(status == 1)
        let node = try #require(run.node(named: "call"))
        let sub = try #require(node.subRuns.first)
        #expect(node.status == .failed)
        #expect(node.error == "sub-DAG run \(sub.dagRunId) ended failed")
        #expect(sub.status == .failed)
        #expect(run.nodeStatuses == ["call": "failed", "after": "aborted"])
        let object = try json(home.stepLog(run, "call"))
        #expect(object["status"] as? String == "failed")
    }

    @Test("a parallel step with one failing child fails; the summary counts it")
    func parallelOneFails() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("picky", """
            params: ITEM=none
            steps:
              - {name: check, command: '[ "$ITEM" != bad ]'}
            """)
        try home.dag("fanfail", """
            steps:
              - {name: fan, call: picky, parallel: [good, bad, fine], params: "ITEM=${ITEM}"}
            """)
        let (status, run, _) = try home.start("fanfail")
        #expect(status == 1)
        let node = try #require(run.node(named: "fan"))
        #expect(node.status == .failed)
        let failed = try #require(node.subRuns.first { $0.params == "ITEM=bad" })
        #expect(node.error == "sub-DAG run \(failed.dagRunId) ended failed")
        let object = try json(home.stepLog(run, "fan"))
        #expect(object["summary"] as? [String: Int] == ["total": 3, "succeeded": 2, "failed": 1])
    }

    @Test("an unknown child DAG fails the step when it starts")
    func unknownChild() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("orphan", """
            steps:
              - {name: call, call: no-such-dag}
              - {name: after, command: "echo after"}
            """)
        let (status, run, _) = try home.start("orphan")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["call": "failed", "after": "aborted"])
        #expect(run.node(named: "call")?.error?.contains("no-such-dag") == true)
        #expect(run.node(named: "call")?.subRuns.isEmpty == true)
    }

    @Test("a retried parent reuses the same child run ID and retries that child run")
    func retryReusesChild() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let flag = home.path("child-fixed")
        try home.dag("flakychild", """
            steps:
              - {name: check, command: "test -f \(flag)"}
            """)
        try home.dag("retrier", """
            steps:
              - {name: call, call: flakychild, params: "X=1"}
            """)
        let (status, first, _) = try home.start("retrier")
        #expect(status == 1)
        let firstChild = try #require(first.node(named: "call")?.subRuns.first)
        let failedChild = try #require(try home.latest(dag: "flakychild", runID: firstChild.dagRunId))
        #expect(failedChild.status == .failed)

        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        let retry = try home.trellis(["retry", "-r", first.run.id, "retrier"])
        #expect(retry.status == 0, "\(retry.stderr)")
        let run = try #require(try home.latest(dag: "retrier", runID: first.run.id))
        #expect(run.status == .succeeded)
        let sub = try #require(run.node(named: "call")?.subRuns.first)
        #expect(sub.dagRunId == firstChild.dagRunId)
        #expect(run.node(named: "call")?.subRuns.count == 1)
        let child = try #require(try home.latest(dag: "flakychild", runID: sub.dagRunId))
        #expect(child.status == .succeeded)
        #expect(child.attemptId != failedChild.attemptId, "a new attempt of the same child run")
        #expect(child.triggerType == .retry)
    }
}

extension EngineSubDAGTests {
    @Test("sub-DAG params that start with a dash reach the child as params, not as options")
    func dashParams() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("dashchild", "steps:\n  - {name: show, command: 'echo \"[$1]\"', output: SEEN}\n")
        try home.dag("dashparent", "steps:\n  - {name: call, call: dashchild, params: \"-x\"}\n")
        let (status, run, output) = try home.start("dashparent")
        #expect(status == 0, "\(output.stderr)")
        let sub = try #require(run.node(named: "call")?.subRuns.first)
        let child = try #require(try home.latest(dag: "dashchild", runID: sub.dagRunId))
        #expect(child.status == .succeeded)
        #expect(child.node(named: "show")?.outputValue == "[-x]")
    }
}
