import Glibc

/// Reads `/proc` to tell running processes from zombies, which `kill(…, 0)` cannot.
///
/// Orphans are reparented to the nearest child subreaper or to PID 1; an init that does not reap
/// (common in containers) leaves them as zombies for good, and a zombie still counts as a member
/// of its process group.
enum ProcessTable {
    /// Whether some process that is not a zombie has process-group id `pgid`.
    /// Returns true when `/proc` cannot be read, erring on the side of "alive".
    static func hasLiveMember(pgid: Int32) -> Bool {
        guard let directory = opendir("/proc") else { return true }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), let info = stat(of: pid) else { continue }
            if info.processGroup == pgid && info.state != "Z" && info.state != "X" {
                return true
            }
        }
        return false
    }

    /// State letter and process group from `/proc/<pid>/stat`, or nil when the process is gone.
    static func stat(of pid: Int32) -> (state: Character, parent: Int32, processGroup: Int32)? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
        guard let closing = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(closing + 1)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count >= 3,
              let state = fields[0].first,
              let parent = Int32(String(decoding: fields[1], as: UTF8.self)),
              let group = Int32(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        return (Character(UnicodeScalar(state)), parent, group)
    }
}
