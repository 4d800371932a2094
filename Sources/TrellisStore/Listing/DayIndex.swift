import Foundation
import TrellisCore

/// A day index file (§17.2): one line per lifecycle change; the day's state is the fold of its
/// lines, the last line of each run winning.
enum DayIndex {
    /// The day's entries in listing order; `[]` when the file is missing.
    static func fold(fileAt path: String) throws(StoreError) -> [RunIndexEntry] {
        guard let data = try Posix.readFile(path) else { return [] }
        return fold(LineScanner.records(RunIndexEntry.self, in: data))
    }

    /// The last entry per run, in listing order.
    static func fold(_ lines: [RunIndexEntry]) -> [RunIndexEntry] {
        var latest: [RunRef: RunIndexEntry] = [:]
        for entry in lines { latest[entry.run] = entry }
        return latest.values.sorted { RunOrderKey($0) < RunOrderKey($1) }
    }
}
