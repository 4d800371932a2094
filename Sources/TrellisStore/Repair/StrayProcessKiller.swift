import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Kills the process groups a dead run left behind (§16.2), but only groups whose processes are
/// all in the run agent's session, so a group id reused by someone else is never hit.
struct StrayProcessKiller: Sendable {
    /// Where the process table is read (`/proc`).
    let procDirectory: String

    /// One process's group and session, from `/proc/<pid>/stat`.
    struct ProcessEntry: Hashable, Sendable {
        var pid: Int32
        var group: Int32
        var session: Int32
    }

    /// Sends `SIGKILL` to each group in `groups` whose members all have session `sid`; returns the
    /// groups signalled. Nothing is killed without a session to check against, or without `/proc`.
    @discardableResult
    func kill(groups: [Int32], session sid: Int32?) -> [Int32] {
        guard let sid, !groups.isEmpty, let table = processTable() else { return [] }
        return Self.groupsToKill(groups, session: sid, table: table, ownGroup: getpgrp())
            .filter { Glibc.kill(-$0, SIGKILL) == 0 }
    }

    /// The groups of `groups` that have members and whose members all have session `sid`,
    /// excluding init's and the caller's own group.
    static func groupsToKill(_ groups: [Int32], session sid: Int32, table: [ProcessEntry], ownGroup: Int32) -> [Int32] {
        Set(groups).sorted().filter { group in
            guard group > 1, group != ownGroup else { return false }
            let members = table.filter { $0.group == group }
            return !members.isEmpty && members.allSatisfy { $0.session == sid }
        }
    }

    /// Every process's group and session; `nil` when the process table cannot be read.
    func processTable() -> [ProcessEntry]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: procDirectory) else { return nil }
        return names.compactMap { name -> ProcessEntry? in
            guard let pid = Int32(name),
                  let text = try? String(contentsOfFile: procDirectory + "/" + name + "/stat", encoding: .utf8) else { return nil }
            return Self.parseStat(text, pid: pid)
        }
    }

    /// Parses `/proc/<pid>/stat`: `pid (comm) state ppid pgrp session …`; the command name may
    /// hold spaces and parentheses, so fields are counted after the last `)`.
    static func parseStat(_ text: String, pid: Int32) -> ProcessEntry? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 4, let group = Int32(fields[2]), let session = Int32(fields[3]) else { return nil }
        return ProcessEntry(pid: pid, group: group, session: session)
    }
}
