import Foundation
import Testing
@testable import TrellisCLI
import TrellisCore
import TrellisStore

/// The queue dispatcher end to end (format §14.2, §14.3): queued runs started by real detached
/// `trellis start --queued` agents, slots freed by their `done`, failures before start.
///
/// The dispatcher runs in the test process with its periodic pass an hour away, so every pass
/// comes from a change of a queue file (inotify) or a finished start.
@Suite("Queue dispatcher: real agents, slots, FIFO, failures before start", .serialized)
struct QueueDispatchTests {
    @Test("6 queued runs of a DAG with max_active_runs 2: all succeed, never more than 2 at once, FIFO, done frees slots",
          .timeLimit(.minutes(2)))
    func slotsAndOrder() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        let times = harness.home.path("times.log")
        try harness.dag("pair", """
            max_active_runs: 2
            steps:
              - name: work
                command: 'echo "start $DAG_RUN_ID $(date +%s%N)" >> \(times); sleep 0.3; echo "end $DAG_RUN_ID $(date +%s%N)" >> \(times)'
            """)
        let ids = (1...6).map { "q\($0)" }
        for id in ids { try harness.enqueue("pair", id) }
        #expect(try harness.records("pair").map(\.op) == Array(repeating: .enqueue, count: 6))

        let dispatcher = harness.dispatcher()
        let finals = try await withServices([{ try await dispatcher.run() }]) {
            var finals: [RunSnapshot] = []
            for id in ids { finals.append(try await harness.ended("pair", id)) }
            return finals
        }
        for final in finals {
            #expect(final.status == .succeeded, "\(final.run.id): \(final.error ?? "")")
            #expect(final.triggerType == .manual)
            #expect(final.queuedAt != nil && final.startedAt != nil)
        }

        // The steps' own clock: never more than two runs at once, and two did run together.
        let events = try String(contentsOfFile: times, encoding: .utf8).split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return (kind: String(parts[0]), run: String(parts[1]), time: Int(parts[2]) ?? 0)
        }.sorted { $0.time < $1.time }
        #expect(events.count == 12)
        var running = 0
        var most = 0
        for event in events {
            running += event.kind == "start" ? 1 : -1
            most = max(most, running)
        }
        #expect(most == 2)
        // FIFO: the first two to start are the first two enqueued.
        #expect(Set(events.filter { $0.kind == "start" }.prefix(2).map(\.run)) == ["q1", "q2"])

        // The queue file: claims in enqueue order, every run ended with its done, nothing dropped.
        for id in ids { try await harness.records("pair", once: .done, of: id) }
        let records = try harness.records("pair")
        let claims = records.filter { $0.op == .claim }
        #expect(claims.map(\.runId) == ids)
        #expect(Set(records.filter { $0.op == .done }.map(\.runId)) == Set(ids))
        #expect(!records.contains { $0.op == .drop })
        #expect(try harness.queues.state(of: "pair").isEmpty)
        // A claim only fills a free slot: when it was made, at most one run claimed before it
        // had not finished yet.
        let finishedAt = Dictionary(uniqueKeysWithValues: finals.map { ($0.run.id, $0.finishedAt ?? .distantFuture) })
        for (index, claim) in claims.enumerated() {
            let unfinished = claims[..<index].filter { (finishedAt[$0.runId] ?? .distantFuture) > claim.at }
            #expect(unfinished.count <= 1, "claim of \(claim.runId) while \(unfinished.map(\.runId)) still ran")
        }
    }

    @Test("a run whose DAG file was deleted before dispatch fails before start and is dropped with the error; the queue goes on",
          .timeLimit(.minutes(1)))
    func deletedDAGFile() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        try harness.dag("gone", "steps:\n  - {name: a, command: 'true'}\n")
        try harness.enqueue("gone", "g1")
        try harness.enqueue("gone", "g2")
        try FileManager.default.removeItem(atPath: harness.home.path("dags/gone.yaml"))

        let dispatcher = harness.dispatcher()
        let (first, second) = try await withServices([{ try await dispatcher.run() }]) {
            (try await harness.ended("gone", "g1"), try await harness.ended("gone", "g2"))
        }
        for run in [first, second] {
            #expect(run.status == .failed)
            let error = run.error ?? ""
            #expect(error.contains("run agent exited (exited with code 1) before the run started"), "\(error)")
            #expect(error.contains("the DAG file gone.yaml of run \(run.run.id) no longer exists"), "\(error)")
            #expect(run.finishedAt != nil)
            #expect(run.startedAt == nil)
        }
        let records = try await harness.records("gone", once: .drop, of: "g2")
        #expect(records.map { "\($0.op.rawValue):\($0.runId)" } == ["enqueue:g1", "enqueue:g2", "claim:g1", "drop:g1", "claim:g2", "drop:g2"])
        #expect(records.filter { $0.op == .drop }.map(\.error) == [first.error, second.error])
    }

    @Test("a spawn error, and an agent that never starts (killed at the deadline), fail the run and drop it with the error",
          .timeLimit(.minutes(1)))
    func failuresBeforeStart() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        try harness.dag("etl", "steps:\n  - {name: a, command: 'true'}\n")
        try harness.enqueue("etl", "spawn")

        let missing = harness.dispatcher(starter: harness.starter(executable: harness.home.path("no-such-trellis")))
        let spawnFailed = try await withServices([{ try await missing.run() }]) { try await harness.ended("etl", "spawn") }
        #expect(spawnFailed.status == .failed)
        #expect(spawnFailed.error?.hasPrefix("cannot start the run agent: ") == true, "\(spawnFailed.error ?? "")")
        let spawnDrop = try #require(try await harness.records("etl", once: .drop, of: "spawn").last)
        #expect(spawnDrop.error == spawnFailed.error)

        // An "agent" that never takes the lock: it records its pid and sleeps.
        let pidFile = harness.home.path("agent.pid")
        let script = harness.home.path("stuck-agent")
        try "#!/bin/sh\necho $$ > \(pidFile)\nexec sleep 60\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try harness.enqueue("etl", "stuck")
        let stuck = harness.dispatcher(starter: harness.starter(executable: script, startDeadline: .seconds(1)))
        let timedOut = try await withServices([{ try await stuck.run() }]) { try await harness.ended("etl", "stuck") }
        #expect(timedOut.status == .failed)
        #expect(timedOut.error == "run agent did not start within 1 s")
        let drop = try #require(try await harness.records("etl", once: .drop, of: "stuck").last)
        #expect(drop.op == .drop && drop.runId == "stuck" && drop.error == timedOut.error)
        // The late agent was killed and reaped: it can no longer start the run.
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test("scheduler-triggered queued runs of a suspended DAG are aborted at dispatch; manual ones still run",
          .timeLimit(.minutes(1)))
    func suspendedDAG() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        let text = "max_active_runs: 2\nsteps:\n  - {name: a, command: 'true'}\n"
        try harness.dag("nightly", text)
        let dag = try #require(DAGLoader.load(text: text, fileName: "nightly.yaml").dag)
        let queueing = RunQueueing(reader: harness.store, writer: harness.store, queues: harness.queues, globalQueues: [])
        _ = try queueing.enqueue(EnqueueRequest(dag: dag, spec: text, runID: "cron1", params: ResolvedParams(items: []), sourceFileName: "nightly",
                                                triggerType: .scheduler, scheduleTime: Date()))
        try harness.enqueue("nightly", "manual1")
        try harness.catalog.setSuspended(fileName: "nightly", true)

        let dispatcher = harness.dispatcher()
        let (aborted, manual) = try await withServices([{ try await dispatcher.run() }]) {
            (try await harness.ended("nightly", "cron1"), try await harness.ended("nightly", "manual1"))
        }
        #expect(aborted.status == .aborted)
        #expect(aborted.error == "DAG suspended before dispatch")
        #expect(aborted.startedAt == nil)
        #expect(manual.status == .succeeded)
        let records = try await harness.records("nightly", once: .drop, of: "cron1")
        #expect(records.contains { $0.op == .drop && $0.runId == "cron1" && $0.error == "DAG suspended before dispatch" })
        #expect(!records.contains { $0.op == .claim && $0.runId == "cron1" })
    }

    @Test("queued runs wait for a direct start's slot; its done lets them in", .timeLimit(.minutes(1)))
    func directStartsOccupySlots() async throws {
        let harness = try QueueHarness()
        defer { harness.remove() }
        try harness.dag("solo", """
            steps:
              - name: a
                command: 'if [ "$DAG_RUN_ID" = direct ]; then touch "$DAG_RUN_WORK_DIR/ready"; while [ ! -f \(harness.home.path("release")) ]; do sleep 0.02; done; fi'
            """)
        let direct = try harness.home.startInBackground("solo", arguments: ["start", "-r", "direct", "solo"])
        defer { direct.stop() }
        try harness.home.waitForWorkFile(direct, "ready")
        try harness.enqueue("solo", "waiting")

        let dispatcher = harness.dispatcher()
        // One pass, as the enqueue's wake-up would run it: the direct start holds the only slot.
        #expect(dispatcher.pass(inFlight: []).isEmpty)
        #expect(try harness.snapshot("solo", "waiting")?.status == .queued)
        #expect(try harness.records("solo").map(\.op) == [.enqueue])
        let final = try await withServices([{ try await dispatcher.run() }]) {
            FileManager.default.createFile(atPath: harness.home.path("release"), contents: nil)
            return try await harness.ended("solo", "waiting")
        }
        #expect(try direct.exitStatus() == 0)
        #expect(final.status == .succeeded)
        let records = try await harness.records("solo", once: .done, of: "waiting")
        #expect(Set(records.map { "\($0.op.rawValue):\($0.runId)" }) == ["enqueue:waiting", "done:direct", "claim:waiting", "done:waiting"])
        // The claim came once the direct run had ended (its `done` may follow the claim: the slot
        // is free as soon as the run's lock is).
        let directEnd = try #require(try harness.snapshot("solo", "direct")?.finishedAt)
        let claim = try #require(records.first { $0.op == .claim })
        #expect(claim.at >= directEnd)
    }
}
