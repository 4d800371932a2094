import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import TrellisCore

/// The event log on plain files (API §8; format §17): `data/events/<YYYY-MM-DD>.jsonl` by the
/// UTC day of `recordedAt`, one entry per line, each appended with one `write()` under the
/// file's `flock` (a torn tail is truncated by the next writer, and ignored by readers).
public struct FileEventLog: EventLog {
    /// `data/events`.
    public let directory: String
    let logger: Logger

    public init(dataDirectory: String, logger: Logger) {
        directory = (dataDirectory as NSString).appendingPathComponent("events")
        self.logger = logger
    }

    /// The day file of `day` (`YYYY-MM-DD`).
    public func path(day: String) -> String {
        directory + "/" + day + ".jsonl"
    }

    public func append(_ entry: EventLogEntry, durability: Durability) throws(StoreError) {
        let path = path(day: EventTime.day(entry.recordedAt))
        var file = try LockedAppendFile(path: path, logger: logger)
        try file.append(Data(entry.line.utf8))
        let fd = file.unlock()
        defer { Glibc.close(fd) }
        if durability == .synced { try Posix.sync(fd, path: path) }
    }

    /// The day files present, newest first (`YYYY-MM-DD`).
    public func days() throws(StoreError) -> [String] {
        try Posix.list(directory).compactMap { name -> String? in
            guard name.hasSuffix(".jsonl") else { return nil }
            let day = String(name.dropLast(6))
            return EventTime.startOfDay(day) == nil ? nil : day
        }.sorted(by: >)
    }

    /// Deletes the day files older than `retentionDays` days before `now`'s UTC day (format
    /// §17.3); returns the days removed. A file that cannot be removed is logged and kept.
    @discardableResult
    public func removeExpired(retentionDays: Int, now: Date) throws(StoreError) -> [String] {
        guard let today = EventTime.startOfDay(EventTime.day(EventTime.milliseconds(now))) else { return [] }
        let cutoff = today - Int64(max(1, retentionDays)) * 86_400_000
        var removed: [String] = []
        for day in try days() {
            guard let start = EventTime.startOfDay(day), start < cutoff else { continue }
            if unlink(path(day: day)) == 0 || errno == ENOENT {
                removed.append(day)
            } else {
                logger.warning("cannot remove an expired event file", metadata: ["path": "\(path(day: day))", "errno": "\(errno)"])
            }
        }
        return removed
    }
}
