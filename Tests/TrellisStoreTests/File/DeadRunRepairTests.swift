import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// §16.2: a run that claims to run while its lock is free is dead and gets marked failed.
@Suite("Dead-run repair")
struct DeadRunRepairTests {
    private struct Setup {
        let harness: StoreHarness
        let store: FileRunStore
        let repairer: DeadRunRepairer
        let run: RunRef
    }

    /// A run whose agent (pid 4242, unknown session) wrote `running` with node `a` done and
    /// node `b` running, then vanished.
    private func deadRun(sid: Int32? = nil, pgid: Int32? = 777_777) throws -> Setup {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let run = try harness.create("build", "r1").run
        var snapshot = try #require(try store.latestSnapshot(of: run))
        snapshot.status = .running
        snapshot.startedAt = clock.now
        snapshot.pid = 4242
        snapshot.sid = sid
        snapshot.nodes[0].status = .succeeded
        snapshot.nodes[1].status = .running
        snapshot.nodes[1].pgid = pgid
        try store.append(snapshot, durability: .batched)
        clock.advance(seconds: 30)
        let repairer = DeadRunRepairer(store: store, now: clock.function, logger: StoreFixtures.quietLogger)
        return Setup(harness: harness, store: store, repairer: repairer, run: run)
    }

    @Test("running with a free lock → failed with the exact error")
    func repairsDeadRun() throws {
        let setup = try deadRun()
        let before = try #require(try setup.store.latestSnapshot(of: setup.run))
        let repaired = try #require(try setup.repairer.repairIfDead(setup.run))
        let error = "run agent exited unexpectedly (pid 4242); marked failed at 2026-11-29T12:00:30.000Z"
        #expect(repaired.status == .failed && repaired.error == error)
        #expect(repaired.finishedAt == setup.harness.clock.now)
        #expect(repaired.nodes[0] == before.nodes[0])
        #expect(repaired.nodes[1].status == .failed && repaired.nodes[1].error == error)
        #expect(try setup.store.latestSnapshot(of: setup.run) == repaired)
        let day = UTCDay.day(StoreFixtures.epoch)
        #expect(try DayIndex.fold(fileAt: setup.store.layout.globalIndexPath(day: day)).map(\.status) == [.failed])
        let lock = try setup.store.tryLock(setup.run)
        #expect(lock != nil, "the repairer released the lock")
        lock?.release()
        #expect(try setup.repairer.repairIfDead(setup.run) == nil, "a failed run is not repaired again")
    }

    @Test("a held lock (another descriptor in this process) means alive: untouched")
    func heldLockMeansAlive() throws {
        let setup = try deadRun()
        let before = try #require(try setup.store.latestSnapshot(of: setup.run))
        let lock = try #require(try setup.store.tryLock(setup.run))
        #expect(try setup.repairer.repairIfDead(setup.run) == nil)
        #expect(try setup.store.latestSnapshot(of: setup.run) == before)
        lock.release()
        #expect(try setup.repairer.repairIfDead(setup.run)?.status == .failed)
    }

    @Test("not_started for over 10 s → run agent did not start")
    func agentNeverStarted() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let repairer = DeadRunRepairer(store: store, now: clock.function)
        let run = try harness.create("build", "r1").run
        let queued = try harness.create("build", "q1", status: .queued).run
        clock.advance(seconds: 10)
        #expect(try repairer.repairIfDead(run) == nil)
        clock.advance(seconds: 0.5)
        let repaired = try #require(try repairer.repairIfDead(run))
        #expect(repaired.status == .failed && repaired.error == "run agent did not start")
        #expect(try repairer.repairIfDead(queued) == nil)
        #expect(try repairer.repairIfDead(RunRef(name: "build", id: "unknown")) == nil)
    }

    @Test("stray process groups in the agent's session are killed, others are not")
    func killsStrayGroups() throws {
        for sameSession in [true, false] {
            let pid = try Self.spawnSleeper()
            #expect(getpgid(pid) == pid, "the sleeper leads its own group")
            let setup = try deadRun(sid: sameSession ? getsid(0) : getsid(0) + 100_000, pgid: pid)
            #expect(try setup.repairer.repairIfDead(setup.run)?.status == .failed)
            kill(pid, SIGTERM)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            #expect(status & 0x7f == (sameSession ? SIGKILL : SIGTERM), "same session: \(sameSession)")
        }
    }

    /// Starts `sleep 300` in its own process group with default signal handling and an empty
    /// signal mask (test threads may block signals, and a child inherits the mask).
    private static func spawnSleeper() throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigaddset(&signals, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("300")]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sleep", nil, &attributes, arguments + [nil], environ)
        try #require(result == 0, "posix_spawn: \(result)")
        return pid
    }

    @Test("groups are chosen by session from the process table")
    func groupSelection() {
        typealias Entry = StrayProcessKiller.ProcessEntry
        let table = [Entry(pid: 10, group: 10, session: 5), Entry(pid: 11, group: 10, session: 5),
                     Entry(pid: 20, group: 20, session: 5), Entry(pid: 21, group: 20, session: 9),
                     Entry(pid: 30, group: 30, session: 9), Entry(pid: 40, group: 40, session: 5)]
        #expect(StrayProcessKiller.groupsToKill([10, 20, 30, 50, 10, 1, 0, 40], session: 5, table: table, ownGroup: 40) == [10])
        #expect(StrayProcessKiller.groupsToKill([30], session: 9, table: table, ownGroup: 1) == [30])
        #expect(StrayProcessKiller(procDirectory: "/nonexistent-proc").kill(groups: [10], session: 5) == [])
    }

    @Test("/proc/<pid>/stat parsing survives odd command names")
    func statParsing() {
        let entry = StrayProcessKiller.parseStat("123 (a (b) c) S 1 456 789 0 -1 4194560 99 0", pid: 123)
        #expect(entry == StrayProcessKiller.ProcessEntry(pid: 123, group: 456, session: 789))
        #expect(StrayProcessKiller.parseStat("garbage", pid: 1) == nil)
        #expect(StrayProcessKiller.parseStat("1 (x) S 0", pid: 1) == nil)
        let own = StrayProcessKiller(procDirectory: "/proc").processTable()?.first { $0.pid == getpid() }
        #expect(own == nil || own == StrayProcessKiller.ProcessEntry(pid: getpid(), group: getpgrp(), session: getsid(0)))
    }
}
