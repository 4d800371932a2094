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
    /// node `b` running, then vanished. `startedAt` defaults to the test clock's now.
    private func deadRun(sid: Int32? = nil, pgid: Int32? = 777_777, agentPID: Int32 = 4242, startedAt: Date? = nil) throws -> Setup {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let run = try harness.create("build", "r1").run
        var snapshot = try #require(try store.latestSnapshot(of: run))
        snapshot.status = .running
        snapshot.startedAt = startedAt ?? clock.now
        snapshot.pid = agentPID
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

    /// A pid no process can have (above Linux's `PID_MAX_LIMIT`, 2²²).
    private static let goneAgent: Int32 = 99_999_999

    @Test("stray process groups in the agent's session that started with the run are killed; others are not")
    func killsStrayGroups() throws {
        // (agent pid, session, run start relative to the sleeper's, killed?)
        let cases: [(String, Int32, Int32, TimeInterval, Bool)] = [
            ("same session, started with the run", Self.goneAgent, getsid(0), -1, true),
            ("another session", Self.goneAgent, getsid(0) + 100_000, -1, false),
            ("started before the run", Self.goneAgent, getsid(0), 60, false),
            ("the agent is alive", getpid(), getsid(0), -1, false),
        ]
        for (what, agentPID, sid, runOffset, killed) in cases {
            let pid = try Self.spawnSleeper()
            #expect(getpgid(pid) == pid, "the sleeper leads its own group")
            let setup = try deadRun(sid: sid, pgid: pid, agentPID: agentPID, startedAt: Date().addingTimeInterval(runOffset))
            #expect(try setup.repairer.repairIfDead(setup.run)?.status == .failed)
            #expect(Self.reap(pid) == (killed ? SIGKILL : SIGTERM), "\(what)")
        }
    }

    @Test("a live session leader (a detached agent, or a new session that reused its pid) means nothing is killed")
    func liveSessionLeader() throws {
        let pid = try Self.spawnSleeper(newSession: true)
        #expect(getsid(pid) == pid && getpgid(pid) == pid, "the sleeper leads its own session and group")
        let setup = try deadRun(sid: pid, pgid: pid, agentPID: pid, startedAt: Date().addingTimeInterval(-1))
        #expect(try setup.repairer.repairIfDead(setup.run)?.status == .failed)
        #expect(Self.reap(pid) == SIGTERM, "the leader's group was left alone")
    }

    /// SIGTERMs `pid` (a no-op if it is gone), reaps it and returns the signal that ended it.
    private static func reap(_ pid: pid_t) -> Int32 {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7f
    }

    /// Starts `sleep 300` in its own process group (or session) with default signal handling
    /// and an empty signal mask (test threads may block signals, and a child inherits the mask).
    private static func spawnSleeper(newSession: Bool = false) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigaddset(&signals, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setpgroup(&attributes, 0)
        // A new session makes the sleeper its leader (and its group's); else its own group.
        // POSIX_SPAWN_SETSID (glibc 2.26) is behind _GNU_SOURCE, which Swift does not set.
        let setSession: Int32 = 0x80
        let placement = newSession ? setSession : Int32(POSIX_SPAWN_SETPGROUP)
        posix_spawnattr_setflags(&attributes, Int16(placement | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("300")]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sleep", nil, &attributes, arguments + [nil], environ)
        try #require(result == 0, "posix_spawn: \(result)")
        return pid
    }

    typealias Entry = StrayProcessKiller.ProcessEntry
    typealias Agent = StrayProcessKiller.DeadAgent

    /// Booted at 1,000 s after 1970, 100 ticks a second: tick `t` is `1000 + t/100` seconds.
    static let clock = StrayProcessKiller.BootClock(bootTime: 1_000, ticksPerSecond: 100)
    /// A run that started at tick 5,000 (1,050 s).
    static let runStart = Date(timeIntervalSince1970: 1_050)

    private static func entry(_ pid: Int32, group: Int32, session: Int32, ticks: UInt64 = 6_000, state: Character = "S") -> Entry {
        Entry(pid: pid, state: state, group: group, session: session, startTicks: ticks)
    }

    @Test("groups are chosen by session from the process table")
    func groupSelection() {
        let table = [Self.entry(10, group: 10, session: 5), Self.entry(11, group: 10, session: 5),
                     Self.entry(20, group: 20, session: 5), Self.entry(21, group: 20, session: 9),
                     Self.entry(30, group: 30, session: 9), Self.entry(40, group: 40, session: 5)]
        let agent = Agent(pid: 7, session: 5, runStart: Self.runStart)
        #expect(StrayProcessKiller.groupsToKill([10, 20, 30, 50, 10, 1, 0, 40], agent: agent, table: table, clock: Self.clock, ownGroup: 40) == [10])
        let other = Agent(pid: 8, session: 9, runStart: Self.runStart)
        #expect(StrayProcessKiller.groupsToKill([30], agent: other, table: table, clock: Self.clock, ownGroup: 1) == [30])
        #expect(StrayProcessKiller(procDirectory: "/nonexistent-proc").kill(groups: [10], agent: agent) == [])
        #expect(StrayProcessKiller(procDirectory: "/proc").kill(groups: [10], agent: nil) == [])
    }

    @Test("nothing is killed while the agent may be alive: its pid, or the session id of an agent that led its session")
    func liveAgent() {
        let strays = [Self.entry(10, group: 10, session: 5), Self.entry(11, group: 10, session: 5)]
        func kills(_ agent: Agent, _ extra: [Entry]) -> [Int32] {
            StrayProcessKiller.groupsToKill([10], agent: agent, table: strays + extra, clock: Self.clock, ownGroup: 1)
        }
        let detached = Agent(pid: 5, session: 5, runStart: Self.runStart)
        #expect(kills(detached, []) == [10], "the leader is gone")
        #expect(kills(detached, [Self.entry(5, group: 5, session: 5)]) == [], "the leader is alive")
        #expect(kills(detached, [Self.entry(5, group: 5, session: 5, state: "Z")]) == [10], "a zombie leader is gone")
        #expect(kills(Agent(pid: nil, session: 5, runStart: Self.runStart), [Self.entry(5, group: 70, session: 70)]) == [],
                "pid 5 leads a new session: with no agent pid recorded, the session leader counts")
        // A foreground agent (pid 7) in a shell's session 5: the shell is no sign of the agent.
        let foreground = Agent(pid: 7, session: 5, runStart: Self.runStart)
        #expect(kills(foreground, [Self.entry(5, group: 5, session: 5)]) == [10])
        #expect(kills(foreground, [Self.entry(7, group: 7, session: 5)]) == [], "the agent itself is alive")
        #expect(kills(foreground, [Self.entry(7, group: 7, session: 5, state: "Z")]) == [10])
    }

    @Test("a group with a member that started before the run is not killed (slack of 2 s for whole-second boot times)")
    func startedBeforeRun() {
        let agent = Agent(pid: 7, session: 5, runStart: Self.runStart)
        func kills(memberTicks: UInt64) -> [Int32] {
            let table = [Self.entry(10, group: 10, session: 5), Self.entry(11, group: 10, session: 5, ticks: memberTicks)]
            return StrayProcessKiller.groupsToKill([10], agent: agent, table: table, clock: Self.clock, ownGroup: 1)
        }
        #expect(kills(memberTicks: 5_000) == [10], "started with the run")
        #expect(kills(memberTicks: 4_800) == [10], "2 s before: within the slack")
        #expect(kills(memberTicks: 4_799) == [], "just over 2 s before")
        #expect(kills(memberTicks: 100) == [], "long before the run: a pid reused by an older group")
    }

    @Test("/proc/<pid>/stat parsing survives odd command names and reads state and start time")
    func statParsing() {
        let line = "123 (a (b) c) S 1 456 789 0 -1 4194560 99 0 0 0 12 3 0 0 20 0 1 0 987654 12345678 200 18446744073709551615"
        #expect(StrayProcessKiller.parseStat(line, pid: 123) == Entry(pid: 123, state: "S", group: 456, session: 789, startTicks: 987_654))
        #expect(StrayProcessKiller.parseStat(line.replacingOccurrences(of: ") S ", with: ") Z "), pid: 123)?.isLive == false)
        #expect(StrayProcessKiller.parseStat("123 (x) S 1 456 789 0 -1 4194560 99 0", pid: 123) == nil, "no start time")
        #expect(StrayProcessKiller.parseStat("garbage", pid: 1) == nil)
        #expect(StrayProcessKiller.parseStat("1 (x) S 0", pid: 1) == nil)
        let own = StrayProcessKiller(procDirectory: "/proc").processTable()?.first { $0.pid == getpid() }
        #expect(own == nil || (own?.group == getpgrp() && own?.session == getsid(0) && own?.isLive == true))
    }

    @Test("the boot clock: btime of /proc/stat and start ticks")
    func bootClock() throws {
        #expect(StrayProcessKiller.parseBootTime("cpu  1 2 3\nintr 5\nbtime 1764400000\nprocesses 9\n") == 1_764_400_000)
        #expect(StrayProcessKiller.parseBootTime("cpu 1\n") == nil)
        #expect(Self.clock.date(ofTicks: 250) == Date(timeIntervalSince1970: 1_002.5))
        // This process started before now and after boot.
        let killer = StrayProcessKiller(procDirectory: "/proc")
        guard let clock = killer.bootClock(), let own = killer.processTable()?.first(where: { $0.pid == getpid() }) else { return }
        let started = clock.date(ofTicks: own.startTicks)
        #expect(started <= Date().addingTimeInterval(StrayProcessKiller.startSlack) && started > Date(timeIntervalSince1970: clock.bootTime))
    }
}
