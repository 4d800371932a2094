import Foundation
import Logging
import Testing
@testable import TrellisCLI
import TrellisCore
import TrellisStore

/// Claims fenced by tokens (docs/SPEC-DECISIONS.md, §14.3): a claim whose dispatcher died before
/// (or while) it started the run agent is reopened and claimed again with a new token, and of
/// all the agents a run may then have, exactly one runs it. Real `trellis start --queued`
/// agents, real queue files; a "slow" agent is a shell that stops itself (SIGSTOP) before it
/// execs the agent, until the test lets it go on.
@Suite("Queues: fenced claims, a dead dispatcher's claim, slow agents", .serialized)
struct ClaimFenceTests {
    @Test("agents of a given-up claim and of the current one: only the current one runs the run, once; the other changes nothing",
          .timeLimit(.minutes(1)))
    func staleAndCurrentTokens() throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        let ledger = harness.home.path("ledger")
        try harness.dag("work", "steps:\n  - {name: record, command: 'echo \"$DAG_RUN_ID\" >> \(ledger)'}\n")
        try harness.enqueue("work", "r1")
        let run = RunRef(name: "work", id: "r1")
        // What a dispatcher that died after its claim, then the next one, wrote: the claim, its
        // reopen, a new claim.
        let old = Date().addingTimeInterval(-60)
        try harness.queues.append(QueueRecord(.claim, run, at: old, token: "stale1"), to: "work")
        try harness.queues.append(QueueRecord(.reopen, run, at: old.addingTimeInterval(15), error: "lost"), to: "work")
        try harness.queues.append(QueueRecord(.claim, run, at: old.addingTimeInterval(15), token: "fresh2"), to: "work")
        let before = try harness.records("work")

        let stale = try harness.home.trellis(["start", "--queued", "-r", "r1", "--claim", "stale1", "work"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("the claim stale1 of run r1 of \"work\" is no longer current (the item is claimed with another token)"),
                "\(stale.stderr)")
        #expect(try harness.snapshot("work", "r1")?.status == .queued)
        #expect(try harness.snapshot("work", "r1")?.startedAt == nil)
        #expect(try harness.records("work") == before)
        #expect(Self.lines(ledger).isEmpty)

        let current = try harness.home.trellis(["start", "--queued", "-r", "r1", "--claim", "fresh2", "work"])
        #expect(current.status == 0, "\(current.stderr)")
        #expect(try harness.snapshot("work", "r1")?.status == .succeeded)
        // Late agents of either claim find the run started and leave it.
        for token in ["fresh2", "stale1"] {
            let late = try harness.home.trellis(["start", "--queued", "-r", "r1", "--claim", token, "work"])
            #expect(late.status == 1)
            #expect(late.stderr.contains("run r1 of \"work\" is not queued (status: succeeded)"), "\(late.stderr)")
        }
        #expect(Self.lines(ledger) == ["r1"])
        #expect(try harness.records("work").map(\.op) == before.map(\.op) + [.done])

        // --claim goes with --queued only, and must look like a token.
        #expect(try harness.home.trellis(["start", "--claim", "abc", "work"]).status == 2)
        #expect(try harness.home.trellis(["start", "--queued", "-r", "r1", "--claim", "a b", "work"]).status == 2)
    }

    @Test("a slow agent of a lost claim comes up after the claim was reopened: it does not run; the new claim runs the run once",
          .timeLimit(.minutes(2)))
    func slowAgentAfterReopen() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        let ledger = harness.home.path("ledger")
        let release = harness.home.path("release")
        try harness.dag("solo", """
            steps:
              - name: a
                command: 'if [ "$DAG_RUN_ID" = direct ]; then touch "$DAG_RUN_WORK_DIR/ready"; while [ ! -f \(release) ]; do sleep 0.02; done; else echo "$DAG_RUN_ID" >> \(ledger); fi'
            """)
        // A direct start holds the only slot.
        let direct = try harness.home.startInBackground("solo", arguments: ["start", "-r", "direct", "solo"])
        defer { direct.stop() }
        try harness.home.waitForWorkFile(direct, "ready")
        try harness.enqueue("solo", "late")
        let run = RunRef(name: "solo", id: "late")
        // The last act of a dispatcher that died a minute ago: its claim, and an agent that is
        // not up yet.
        try harness.queues.append(QueueRecord(.claim, run, at: Date().addingTimeInterval(-60), token: "lost1"), to: "solo")
        let slow = try StoppedAgent(harness, run, token: "lost1")
        defer { slow.terminate() }

        // One pass, as the next dispatcher makes it: the claim is reopened; the slot is taken,
        // so the run waits, open, in its place.
        let dispatcher = harness.dispatcher()
        #expect(dispatcher.pass(inFlight: []).isEmpty)
        let reopened = try #require(try harness.queues.state(of: "solo").item(run))
        #expect(reopened.phase == .open && reopened.token == nil && reopened.claims == 1)

        // The slow agent comes up now: its claim is gone.
        slow.resume()
        #expect(try await slow.exitStatus() == 1)
        #expect(slow.output.contains("the claim lost1 of run late of \"solo\" is no longer current (the item is open)"), "\(slow.output)")
        #expect(try harness.snapshot("solo", "late")?.status == .queued)
        #expect(Self.lines(ledger).isEmpty)

        // The slot frees: the run is claimed again, with a new token, and runs once.
        let final = try await withServices([{ try await dispatcher.run() }]) {
            FileManager.default.createFile(atPath: release, contents: nil)
            return try await harness.ended("solo", "late")
        }
        #expect(final.status == .succeeded, "\(final.error ?? "")")
        #expect(Self.lines(ledger) == ["late"])
        let records = try await harness.records("solo", once: .done, of: "late")
        let claims = records.filter { $0.op == .claim && $0.runId == "late" }
        #expect(claims.map(\.token).first == "lost1")
        #expect(claims.count == 2)
        let second = try #require(claims.last?.token)
        #expect(second != "lost1" && QueueRecord.isValidClaimToken(second))
        #expect(records.contains { $0.op == .reopen && $0.runId == "late" && $0.error == "run agent did not start within 15 s of the claim" })
        #expect(!records.contains { $0.op == .drop })
    }

    @Test("a slow agent of a lost claim that comes up after the new claim's agent ran the run leaves it alone",
          .timeLimit(.minutes(2)))
    func slowAgentAfterRun() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        let ledger = harness.home.path("ledger")
        try harness.dag("work", "steps:\n  - {name: record, command: 'echo \"$DAG_RUN_ID\" >> \(ledger)'}\n")
        try harness.enqueue("work", "r1")
        let run = RunRef(name: "work", id: "r1")
        try harness.queues.append(QueueRecord(.claim, run, at: Date().addingTimeInterval(-60), token: "lost1"), to: "work")
        let slow = try StoppedAgent(harness, run, token: "lost1")
        defer { slow.terminate() }

        let dispatcher = harness.dispatcher()
        let final = try await withServices([{ try await dispatcher.run() }]) { try await harness.ended("work", "r1") }
        #expect(final.status == .succeeded, "\(final.error ?? "")")
        slow.resume()
        #expect(try await slow.exitStatus() == 1)
        #expect(slow.output.contains("run r1 of \"work\" is not queued (status: succeeded)"), "\(slow.output)")
        #expect(Self.lines(ledger) == ["r1"])
        let records = try await harness.records("work", once: .done, of: "r1")
        #expect(records.map(\.op) == [.enqueue, .claim, .reopen, .claim, .done])
        #expect(try harness.snapshot("work", "r1")?.status == .succeeded)
    }

    @Test("an agent that finds the run lock held keeps checking its fence: the claim reopened meanwhile sends it away, run untouched",
          .timeLimit(.minutes(1)))
    func lockHeldThenReopened() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        let ledger = harness.home.path("ledger")
        try harness.dag("work", "steps:\n  - {name: record, command: 'echo \"$DAG_RUN_ID\" >> \(ledger)'}\n")
        try harness.enqueue("work", "r1")
        let run = RunRef(name: "work", id: "r1")
        try harness.queues.append(QueueRecord(.claim, run, at: Date().addingTimeInterval(-60), token: "lost1"), to: "work")
        // The test holds the run lock, as a dispatcher reopening the claim does.
        let lock = try #require(try harness.store.tryLock(run))
        let agent = try StoppedAgent(harness, run, token: "lost1")
        defer { agent.terminate() }
        agent.resume()
        try harness.queues.append(QueueRecord(.reopen, run, at: Date(), error: "lost"), to: "work")
        #expect(try await agent.exitStatus() == 1)
        lock.release()
        // Not "already running": it waited for the lock and saw its claim go.
        #expect(agent.output.contains("the claim lost1 of run r1 of \"work\" is no longer current (the item is open)"), "\(agent.output)")
        #expect(try harness.snapshot("work", "r1")?.status == .queued)
        #expect(Self.lines(ledger).isEmpty)
    }

    @Test("a claim lost after two reopens, and a claim without a token (an earlier version's), fail the run as before",
          .timeLimit(.minutes(1)))
    func reopensBounded() throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        try harness.dag("work", "max_active_runs: 2\nsteps:\n  - {name: a, command: 'true'}\n")
        try harness.enqueue("work", "thrice")
        try harness.enqueue("work", "legacy")
        let old = Date().addingTimeInterval(-60)
        let thrice = RunRef(name: "work", id: "thrice")
        for (index, token) in ["t1", "t2", "t3"].enumerated() {
            if index > 0 { try harness.queues.append(QueueRecord(.reopen, thrice, at: old), to: "work") }
            try harness.queues.append(QueueRecord(.claim, thrice, at: old, token: token), to: "work")
        }
        try harness.queues.append(QueueRecord(.claim, RunRef(name: "work", id: "legacy"), at: old), to: "work")

        #expect(harness.dispatcher().pass(inFlight: []).isEmpty)
        for id in ["thrice", "legacy"] {
            let failed = try #require(try harness.snapshot("work", id))
            #expect(failed.status == .failed)
            #expect(failed.error == "run agent did not start within 15 s of the claim")
        }
        let drops = try harness.records("work").filter { $0.op == .drop }
        #expect(Set(drops.map(\.runId)) == ["thrice", "legacy"])
        #expect(drops.allSatisfy { $0.error == "run agent did not start within 15 s of the claim" })
    }

    @Test("killed between claim and spawn: the next scheduler dispatches the run again, in its place; every run executes exactly once",
          .timeLimit(.minutes(3)))
    func claimWithoutAgent() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let ledger = home.path("ledger")
        FileManager.default.createFile(atPath: ledger, contents: nil)
        try home.dag("work", "steps:\n  - {name: record, command: 'echo \"$DAG_RUN_ID\" >> \(ledger)'}\n")
        let ids = ["r1", "r2", "r3"]
        for id in ids {
            let output = try home.trellis(["enqueue", "-q", "-r", id, "work"])
            #expect(output.status == 0, "\(output.stderr)")
        }
        // The last act of a leader killed -9 right after its claim was durable: no agent.
        let queues = FileQueueStore(dataDirectory: home.dataDirectory, logger: Logger(label: "test"))
        let claimedAt = Date()
        try queues.append(QueueRecord(.claim, RunRef(name: "work", id: "r1"), at: claimedAt, token: "dead0001"), to: "work")

        let scheduler = try BackgroundScheduler(home: home.dir, name: "next")
        defer { scheduler.terminate() }
        try await scheduler.waitForOutput("trellis scheduler is the leader")
        let store = try home.store()
        defer { store.close() }
        for id in ids {
            let final = try await eventually("run \(id) to end") { () -> RunSnapshot? in
                guard let snapshot = try store.latestSnapshot(of: RunRef(name: "work", id: id)),
                      !snapshot.status.isActive, snapshot.finishedAt != nil else { return nil }
                return snapshot
            }
            #expect(final.status == .succeeded, "\(id): \(final.error ?? "")")
        }
        // Exactly once each, r1 first: the orphaned claim held the slot until it was given up,
        // then r1 was claimed again in its place.
        #expect(Self.lines(ledger) == ids)
        let records = try queueFileRecords(home.dataDirectory + "/queues/work.jsonl")
        let reopen = try #require(records.first { $0.op == .reopen })
        #expect(reopen.runId == "r1")
        #expect(reopen.error == "run agent did not start within 15 s of the claim")
        // Stored instants have millisecond precision: the claim's `at` lost up to 1 ms of `claimedAt`.
        #expect(reopen.at.timeIntervalSince(claimedAt) >= 15 - 0.001)
        let claimsOfR1 = records.filter { $0.op == .claim && $0.runId == "r1" }
        #expect(claimsOfR1.count == 2)
        #expect(claimsOfR1.last?.token != "dead0001")
        #expect(!records.contains { $0.op == .drop })
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// A run agent that was spawned but is slow to come up: a shell that stops itself (SIGSTOP)
/// before it execs `trellis start --queued --claim <token>`, until ``resume()``.
final class StoppedAgent: @unchecked Sendable {
    // Only the test's task touches it; `Process` is not Sendable.
    let process = Process()
    let outputPath: String

    init(_ harness: QueueHarness, _ run: RunRef, token: String) throws {
        outputPath = harness.home.path(".slow-agent-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let agent = [BinaryRunner.binary.path, "start"] + harness.agentArguments
            + ["--queued", "--run-id", run.id, "--claim", token, run.name]
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "kill -s STOP $$; exec " + agent.map { "'\($0)'" }.joined(separator: " ")]
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("TRELLIS_") { environment[key] = nil }
        process.environment = environment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try handle.close()
        let pid = process.processIdentifier
        _ = try harness.home.waitFor("the slow agent to stop itself") { Self.isStopped(pid) ? true : nil }
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Lets the agent go on: it execs `trellis start --queued`.
    func resume() {
        kill(process.processIdentifier, SIGCONT)
    }

    func exitStatus() async throws -> Int32 {
        _ = try await eventually("the slow agent to exit") { process.isRunning ? nil : true }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILLs the agent if it still runs (stopped or not).
    func terminate() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGCONT)
            process.waitUntilExit()
        }
    }

    /// Whether `/proc/<pid>/stat` says the process is stopped (`T`).
    static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first == "T"
    }
}
