import Foundation
import Synchronization
import Testing
@testable import TrellisCLI
import TrellisCore
import TrellisStore

/// The dead-run sweep (format §16.2) and the run agent of a queued run (`start --queued`, §14.3).
@Suite("Dead-run sweep and trellis start --queued", .serialized)
struct DeadRunSweepTests {
    static let victim = """
        steps:
          - name: a
            command: 'if [ "$DAG_RUN_ID" = v1 ] || [ "$DAG_RUN_ID" = d1 ]; then touch "$DAG_RUN_WORK_DIR/ready"; exec sleep 60; fi'
        """

    /// Waits until `run` runs and its step is ready, then SIGKILLs its agent and waits until the
    /// run lock is free (the agent is gone). Returns the agent's pid.
    private func killAgent(_ harness: QueueHarness, _ run: RunRef) async throws -> Int32 {
        let running = try await QueueTestWait.until("\(run.id) to run its step") { () -> RunSnapshot? in
            guard let snapshot = try harness.store.latestSnapshot(of: run), snapshot.status == .running,
                  FileManager.default.fileExists(atPath: harness.home.runDirectory(snapshot) + "/work/ready") else { return nil }
            return snapshot
        }
        let pid = try #require(running.pid)
        #expect(kill(pid, SIGKILL) == 0)
        _ = try await QueueTestWait.until("the lock of \(run.id) to be free") { () -> Bool? in
            guard let lock = try harness.store.tryLock(run) else { return nil }
            lock.release()
            return true
        }
        return pid
    }

    @Test("a queued run whose agent was kill -9'ed is repaired by the sweep; its done frees the slot for the next queued run",
          .timeLimit(.minutes(1)))
    func sweepFreesTheSlot() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        try harness.dag("victim", Self.victim)
        try harness.enqueue("victim", "v1")
        try harness.enqueue("victim", "v2")
        let v1 = RunRef(name: "victim", id: "v1")
        // The dispatcher starts v1 and stops; its passes would repair a dead run too.
        let dispatcher = harness.dispatcher()
        try await withServices([{ try await dispatcher.run() }]) {
            _ = try await QueueTestWait.until("v1 to run its step") { () -> Bool? in
                guard let snapshot = try harness.store.latestSnapshot(of: v1), snapshot.status == .running else { return nil }
                return FileManager.default.fileExists(atPath: harness.home.runDirectory(snapshot) + "/work/ready") ? true : nil
            }
        }
        let pid = try await killAgent(harness, v1)
        #expect(try harness.snapshot("victim", "v2")?.status == .queued)

        let sweeper = DeadRunSweeper(store: harness.store, queues: harness.queues, logger: harness.logger)
        let repaired = sweeper.sweep()
        #expect(repaired.map(\.run) == [v1])
        let dead = try #require(try harness.snapshot("victim", "v1"))
        #expect(dead.status == .failed)
        #expect(dead.error?.hasPrefix("run agent exited unexpectedly (pid \(pid)); marked failed at ") == true, "\(dead.error ?? "")")
        #expect(dead.nodeStatuses == ["a": "failed"])
        #expect(try harness.records("victim").map { "\($0.op.rawValue):\($0.runId)" } == ["enqueue:v1", "enqueue:v2", "claim:v1", "done:v1"])
        // A second sweep finds nothing.
        #expect(sweeper.sweep().isEmpty)

        let next = try await withServices([{ try await dispatcher.run() }]) { try await harness.ended("victim", "v2") }
        #expect(next.status == .succeeded)
        let after = try await harness.records("victim", once: .done, of: "v2").map { "\($0.op.rawValue):\($0.runId)" }
        // v2's `done` may come twice: from its agent, and from a pass that saw it ended first.
        #expect(after.dropFirst(4).first == "claim:v2" && Set(after.dropFirst(5)) == ["done:v2"], "\(after)")
    }

    @Test("the sweep loop: sweeps at once and after each pause, frees a direct start's slot, ends when cancelled",
          .timeLimit(.minutes(1)))
    func sweepLoop() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        try harness.dag("victim", Self.victim)
        let (ticks, tick) = AsyncStream.makeStream(of: Void.self)
        let sweeps = SweepCounter()
        let sweeper = DeadRunSweeper(store: harness.store, queues: harness.queues, interval: .seconds(30), logger: harness.logger,
                                     sleep: { interval in
                                         #expect(interval == .seconds(30))
                                         sweeps.increment()
                                         for await _ in ticks { return }
                                         throw CancellationError()
                                     })
        let direct = try harness.home.startInBackground("victim", arguments: ["start", "-r", "d1", "victim"])
        defer { direct.stop() }
        let d1 = RunRef(name: "victim", id: "d1")
        try await withServices([{ try await sweeper.run() }]) {
            // The first sweep ran at once and found d1 alive.
            _ = try await QueueTestWait.until("the first sweep") { sweeps.count >= 1 ? true : nil }
            _ = try await killAgent(harness, d1)
            #expect(try harness.snapshot("victim", "d1")?.status == .running)
            tick.yield()
            _ = try await QueueTestWait.until("the sweep to repair d1") {
                try harness.snapshot("victim", "d1")?.status == .failed ? true : nil
            }
        }
        #expect(try direct.exitStatus() != 0)
        #expect(try harness.snapshot("victim", "d1")?.error?.hasPrefix("run agent exited unexpectedly") == true)
        #expect(try harness.records("victim").map { "\($0.op.rawValue):\($0.runId)" } == ["done:d1"])
    }

    @Test("trellis start --queued runs a stored queued run on its existing attempt, appends done, and refuses anything else")
    func startQueued() throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        try harness.dag("etl", "params: [DAY=today]\nsteps:\n  - {name: a, command: 'echo \"day=$DAY\"'}\n")
        #expect(try harness.home.trellis(["enqueue", "-q", "-r", "q1", "etl", "--", "DAY=monday"]).status == 0)
        let queued = try #require(try harness.snapshot("etl", "q1"))

        let usage = try harness.home.trellis(["start", "--queued", "etl"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--queued needs --run-id"))
        let withParams = try harness.home.trellis(["start", "--queued", "-r", "q1", "-p", "DAY=x", "etl"])
        #expect(withParams.status == 2)
        let unknown = try harness.home.trellis(["start", "--queued", "-r", "nope", "etl"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no run nope of \"etl\""))

        let run = try harness.home.trellis(["start", "--queued", "-r", "q1", "etl"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "q1\n")
        let final = try #require(try harness.snapshot("etl", "q1"))
        #expect(final.status == .succeeded)
        #expect(final.attemptId == queued.attemptId)
        // Stored instants have millisecond precision (a round trip may lose the last one).
        #expect(abs(try #require(final.queuedAt).timeIntervalSince(try #require(queued.queuedAt))) < 0.002)
        #expect(final.params == "DAY=monday")
        #expect(harness.home.stepLog(final, "a") == "day=monday\n")
        #expect(try harness.store.attemptIds(of: RunRef(name: "etl", id: "q1")).count == 1)
        #expect(try harness.records("etl").map(\.op) == [.enqueue, .done])

        let again = try harness.home.trellis(["start", "--queued", "-r", "q1", "etl"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("run q1 of \"etl\" is not queued (status: succeeded)"))
    }
}

/// Counts the sweeper's pauses.
final class SweepCounter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func increment() { value.withLock { $0 += 1 } }
}
