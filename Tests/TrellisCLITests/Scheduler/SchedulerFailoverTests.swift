import Foundation
import Logging
import Testing
import TrellisCore
import TrellisStore

/// Exactly-once firing across a scheduler failover (§15.2): two real `trellis scheduler`
/// processes on one data directory, the leader killed with SIGKILL after it fired a slot.
///
/// What to expect right after the takeover: the new leader's tick loop first sleeps until the
/// next wall-clock minute boundary, so the minute in which it took the lock is not evaluated
/// again (and would be refused anyway: `state.json`'s `lastTick` and the latest run's
/// `scheduleTime` both cover it). The first slot it fires is the minute after the takeover.
///
/// This is the only test that waits for real minute boundaries: about two minutes at most when
/// the machine is idle (up to one minute for the leader's first slot, one more for the slot after
/// the takeover); the time limit leaves room for a loaded machine.
@Suite("Scheduler failover: each minute slot fires exactly once")
struct SchedulerFailoverTests {
    @Test("kill -9 of the leading trellis scheduler after it fired a slot: the standby fires the next slot, no slot twice",
          .timeLimit(.minutes(5)))
    func exactlyOnceAcrossFailover() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("dags/minutely.yaml", "schedule: \"* * * * *\"\nsteps:\n  - {name: a, command: 'true'}\n")
        let data = directory.url.appendingPathComponent("data").path

        let leader = try BackgroundScheduler(home: directory, name: "leader")
        defer { leader.terminate() }
        try await leader.waitForOutput("trellis scheduler is the leader")
        let standby = try BackgroundScheduler(home: directory, name: "standby")
        defer { standby.terminate() }
        try await standby.waitForError("waiting as standby")

        var logger = Logger(label: "trellis.test.failover")
        logger.logLevel = .critical
        let store = FileRunStore(dataDirectory: data, logger: logger)
        defer { store.close() }
        /// Every run of the DAG, oldest slot first.
        func runs() throws -> [RunSnapshot] {
            try store.runs(dagName: "minutely", limit: 100, cursor: nil).entries
                .compactMap { try store.latestSnapshot(of: $0.run) }
                .sorted { ($0.scheduleTime ?? .distantPast) < ($1.scheduleTime ?? .distantPast) }
        }

        // The leader fires the next minute boundary; wait until that run has finished.
        let first = try await eventually("the leader's first slot to run") { () -> RunSnapshot? in
            guard let run = try runs().first, run.finishedAt != nil else { return nil }
            return run
        }
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.triggerType == .scheduler)
        let firstSlot = try #require(first.scheduleTime)
        #expect(firstSlot == TickClock.minute(containing: firstSlot))
        #expect(!standby.output.contains("is the leader"))

        kill(leader.process.processIdentifier, SIGKILL)
        leader.process.waitUntilExit()
        let killedAt = Date()
        #expect(leader.process.terminationReason == .uncaughtSignal)
        try await standby.waitForOutput("trellis scheduler is the leader")
        let tookOverBy = Date()

        // The standby fires the first minute boundary after its takeover.
        let next = try await eventually("the first slot after the failover to run") { () -> RunSnapshot? in
            guard let run = try runs().first(where: { ($0.scheduleTime ?? .distantPast) > firstSlot }),
                  run.finishedAt != nil else { return nil }
            return run
        }
        #expect(next.status == .succeeded, "\(next.error ?? "")")
        #expect(next.triggerType == .scheduler)
        let nextSlot = try #require(next.scheduleTime)
        #expect(nextSlot == TickClock.minute(containing: nextSlot))
        #expect(nextSlot > killedAt, "the slot after \(firstSlot) was fired before the leader was killed")
        // No minute after the takeover was skipped. (The takeover happened at or before
        // `tookOverBy`, normally within the first slot's minute: then it is the very next minute.)
        #expect(nextSlot <= TickClock.nextMinute(after: tookOverBy))
        if tookOverBy < firstSlot.addingTimeInterval(60) {
            #expect(nextSlot == firstSlot.addingTimeInterval(60))
        }

        // A duplicate of either slot would have been created within its tick; give one time to
        // show, then check every slot has exactly one run.
        try await Task.sleep(for: .seconds(2))
        let all = try runs()
        let slots = all.compactMap(\.scheduleTime)
        #expect(slots.count == all.count, "a run without a schedule time: \(all.map(\.run.id))")
        #expect(Set(slots).count == slots.count, "a slot fired twice: \(slots)")
        #expect(slots.filter { $0 == firstSlot }.count == 1)
        #expect(slots.filter { $0 == nextSlot }.count == 1)
        for run in all {
            #expect(run.triggerType == .scheduler)
        }
        #expect(standby.process.isRunning)
    }
}
