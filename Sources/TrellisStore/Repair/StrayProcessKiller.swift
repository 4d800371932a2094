import Foundation
import TrellisCore
#if canImport(Glibc)
import Glibc
#endif

/// Kills the process groups a dead run left behind (§16.2), and only groups that can still be
/// the run's own:
///
/// 1. Nothing while the run agent may be alive: a live process whose pid is the agent's, or —
///    for an agent that led its own session, as detached agents do — the session id. (A
///    foreground `trellis start` shares its caller's session, whose leader, a shell, is no sign
///    of the agent.)
/// 2. A group only if every member is in the agent's session and started at or after the run
///    started (less ``startSlack``: `/proc/stat`'s boot time has whole seconds).
///
/// Why a reused pid cannot turn this against a stranger: Linux keeps a pid allocated while any
/// process uses it as its process-group or session id. While a stray of the run lives in group
/// `g` of session `s`, neither `g` nor `s` can be handed to a new process, so a group `g` whose
/// members are all in session `s` is the run's. Only once every stray is gone can `g` and `s`
/// be reused — and then rule 1 refuses a session `s` that has a live leader again, and rule 2
/// refuses processes that were already running when the run started (which cannot be its steps).
/// What is left — a reused session whose new leader already exited, holding a reused group id,
/// both after the run started — needs two pid reuses to line up, and is accepted.
struct StrayProcessKiller: Sendable {
    /// Where the process table is read (`/proc`).
    let procDirectory: String

    /// How much earlier than the run's start a member may seem to have started.
    static let startSlack: TimeInterval = 2

    /// One process, from `/proc/<pid>/stat`.
    struct ProcessEntry: Hashable, Sendable {
        var pid: Int32
        /// The state letter (`R`, `S`, `Z` for a zombie, …).
        var state: Character
        var group: Int32
        var session: Int32
        /// When it started, in clock ticks after boot (field 22).
        var startTicks: UInt64

        /// Not a zombie (or dead) process.
        var isLive: Bool { !["Z", "X", "x"].contains(state) }
    }

    /// What the dead run recorded about its agent.
    struct DeadAgent: Hashable, Sendable {
        var pid: Int32?
        var session: Int32
        /// When the run (its latest attempt) started.
        var runStart: Date
    }

    /// Turns start ticks into instants: the boot time (`btime` of `/proc/stat`) and the ticks
    /// per second (`sysconf(_SC_CLK_TCK)`).
    struct BootClock: Hashable, Sendable {
        var bootTime: TimeInterval
        var ticksPerSecond: Int

        func date(ofTicks ticks: UInt64) -> Date {
            Date(timeIntervalSince1970: bootTime + Double(ticks) / Double(max(ticksPerSecond, 1)))
        }
    }

    /// Sends `SIGKILL` to each group of `groups` that passes the rules above; returns the groups
    /// signalled. Nothing is killed without a recorded session, or without `/proc`.
    @discardableResult
    func kill(groups: [Int32], agent: DeadAgent?) -> [Int32] {
        guard let agent, !groups.isEmpty, let table = processTable(), let clock = bootClock() else { return [] }
        return Self.groupsToKill(groups, agent: agent, table: table, clock: clock, ownGroup: getpgrp())
            .filter { Glibc.kill(-$0, SIGKILL) == 0 }
    }

    /// The groups of `groups` to kill (excluding init's and the caller's own): none while the
    /// agent may be alive; else those with members, all in the agent's session and started at
    /// or after the run's start less ``startSlack``.
    static func groupsToKill(_ groups: [Int32], agent: DeadAgent, table: [ProcessEntry], clock: BootClock,
                             ownGroup: Int32) -> [Int32] {
        guard !agentMayBeAlive(agent, table: table) else { return [] }
        let earliest = agent.runStart.addingTimeInterval(-startSlack)
        return Set(groups).sorted().filter { group in
            guard group > 1, group != ownGroup else { return false }
            let members = table.filter { $0.group == group }
            return !members.isEmpty && members.allSatisfy { member in
                member.session == agent.session && clock.date(ofTicks: member.startTicks) >= earliest
            }
        }
    }

    /// Whether a live process has the agent's pid, or the session id of an agent that led its
    /// session (or whose pid was not recorded).
    static func agentMayBeAlive(_ agent: DeadAgent, table: [ProcessEntry]) -> Bool {
        let ledSession = agent.pid == nil || agent.pid == agent.session
        return table.contains { entry in
            entry.isLive && (entry.pid == agent.pid || (ledSession && entry.pid == agent.session))
        }
    }

    /// Every process; `nil` when the process table cannot be read.
    func processTable() -> [ProcessEntry]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: procDirectory) else { return nil }
        return names.compactMap { name -> ProcessEntry? in
            guard let pid = Int32(name),
                  let text = FileBytes.text(procDirectory + "/" + name + "/stat") else { return nil }
            return Self.parseStat(text, pid: pid)
        }
    }

    /// The boot clock of this machine; `nil` when `/proc/stat` or the tick rate is unknown.
    func bootClock() -> BootClock? {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        guard ticks > 0, let text = FileBytes.text(procDirectory + "/stat"),
              let boot = Self.parseBootTime(text) else { return nil }
        return BootClock(bootTime: boot, ticksPerSecond: ticks)
    }

    /// Parses `/proc/<pid>/stat`: `pid (comm) state ppid pgrp session … starttime …`; the command
    /// name may hold spaces and parentheses, so fields are counted after the last `)`.
    static func parseStat(_ text: String, pid: Int32) -> ProcessEntry? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // Field n of stat(5) is fields[n - 3]: state is 3, pgrp 5, session 6, starttime 22.
        guard fields.count >= 20, let state = fields[0].first, let group = Int32(fields[2]), let session = Int32(fields[3]),
              let start = UInt64(fields[19]) else { return nil }
        return ProcessEntry(pid: pid, state: state, group: group, session: session, startTicks: start)
    }

    /// The `btime` line of `/proc/stat`: the boot time in seconds since 1970.
    static func parseBootTime(_ text: String) -> TimeInterval? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return TimeInterval(line.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
