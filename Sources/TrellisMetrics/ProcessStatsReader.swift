import Foundation
import TrellisCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads ``ProcessStats`` from a process folder (`/proc/self`) and the system's `/proc/stat`.
public struct ProcessStatsReader: Sendable {
    /// `/proc/self` or `/proc/<pid>`.
    public let processDirectory: String
    /// `/proc/stat` (for `btime`, the boot time).
    public let systemStatPath: String

    public init(processDirectory: String = "/proc/self", systemStatPath: String = "/proc/stat") {
        self.processDirectory = processDirectory
        self.systemStatPath = systemStatPath
    }

    /// The current values; `nil` when the files cannot be read (not Linux).
    public func read() -> ProcessStats? {
        guard let stat = Self.text(processDirectory + "/stat"), let statm = Self.text(processDirectory + "/statm"),
              let fields = Self.statFields(stat) else { return nil }
        let ticks = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let pageSize = Double(max(1, sysconf(Int32(_SC_PAGESIZE))))
        // After "pid (comm)": field 3 is index 0, so utime (14) is 11, stime (15) 12, starttime (22) 19.
        guard fields.count > 19, let user = Double(fields[11]), let system = Double(fields[12]),
              let startTicks = Double(fields[19]) else { return nil }
        let memory = statm.split(separator: " ")
        guard memory.count >= 2, let sizePages = Double(memory[0]), let residentPages = Double(memory[1]) else { return nil }
        let bootTime = Self.text(systemStatPath).flatMap(Self.bootTime) ?? 0
        let limits = Self.text(processDirectory + "/limits").flatMap(Self.maxOpenFiles)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: processDirectory + "/fd").count) ?? 0
        return ProcessStats(cpuSeconds: (user + system) / ticks, residentMemoryBytes: residentPages * pageSize,
                            virtualMemoryBytes: sizePages * pageSize, openFileDescriptors: Double(open),
                            maxFileDescriptors: limits, startTimeSeconds: bootTime + startTicks / ticks)
    }

    /// The fields of `/proc/<pid>/stat` after the command name (which may hold spaces and parentheses).
    static func statFields(_ text: String) -> [Substring]? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
    }

    /// `btime` of `/proc/stat`.
    static func bootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The soft limit of the `Max open files` line of `/proc/<pid>/limits`.
    static func maxOpenFiles(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("Max open files") {
            let fields = line.dropFirst("Max open files".count).split(separator: " ", omittingEmptySubsequences: true)
            return fields.first.flatMap { Double($0) }
        }
        return nil
    }

    private static func text(_ path: String) -> String? {
        FileBytes.text(path)
    }
}
