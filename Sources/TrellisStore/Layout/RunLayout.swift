import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// Where things live under `data/` (§17). Dates in paths are UTC.
///
/// ```
/// runs/<dag>/by-id/<run-id>                   pointer: the run folder relative to runs/
/// runs/<dag>/<YYYY>/<MM>/<DD>/index.jsonl     per-DAG day index
/// runs/<dag>/<YYYY>/<MM>/<DD>/<run-id>/       a root run's folder
/// <parent folder>/children/<run-id>/          a sub-DAG run's folder
/// index/<YYYY-MM-DD>.jsonl                    global day index of root runs
/// ```
struct RunLayout: Sendable {
    /// The absolute `data/` folder.
    let dataDirectory: String

    init(dataDirectory: String) {
        let absolute = dataDirectory.hasPrefix("/") ? dataDirectory
            : FileManager.default.currentDirectoryPath + "/" + dataDirectory
        self.dataDirectory = (absolute as NSString).standardizingPath
    }

    var runsDirectory: String { dataDirectory + "/runs" }
    var globalIndexDirectory: String { dataDirectory + "/index" }

    func dagDirectory(_ dag: String) -> String { runsDirectory + "/" + dag }
    func pointerDirectory(_ dag: String) -> String { dagDirectory(dag) + "/by-id" }
    func pointerPath(_ run: RunRef) -> String { pointerDirectory(run.name) + "/" + run.id }

    /// `<dag>/<YYYY>/<MM>/<DD>` folder of a day (`YYYY-MM-DD`).
    func dayDirectory(dag: String, day: String) -> String {
        let parts = day.split(separator: "-")
        return dagDirectory(dag) + "/" + parts.joined(separator: "/")
    }

    func dagIndexPath(dag: String, day: String) -> String { dayDirectory(dag: dag, day: day) + "/index.jsonl" }
    func globalIndexPath(day: String) -> String { globalIndexDirectory + "/" + day + ".jsonl" }

    /// A root run's folder, from its creation day.
    func rootRunDirectory(_ run: RunRef, day: String) -> String { dayDirectory(dag: run.name, day: day) + "/" + run.id }

    /// The folder of `run` as recorded by its by-id pointer; `nil` when there is no pointer yet.
    func resolve(_ run: RunRef) throws(StoreError) -> String? {
        guard RunLayout.isSafeName(run.name), RunLayout.isSafeName(run.id) else { return nil }
        let pointer = pointerPath(run)
        guard let data = try Posix.readFile(pointer) else { return nil }
        let relative = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if relative.isEmpty { return nil }
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw StoreError(.corrupt, "run pointer of \(run) leaves the runs folder", path: pointer)
        }
        return runsDirectory + "/" + relative
    }

    /// The pointer content for a run folder: its path relative to `runs/`.
    func pointerContent(for runDirectory: String) -> String {
        String(runDirectory.dropFirst(runsDirectory.count + 1))
    }

    /// A DAG name or run ID usable as one path component (§1.2 names are; this guards the rest).
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
            && !name.hasPrefix(".")
    }
}

/// UTC calendar arithmetic for path names.
enum UTCDay {
    /// Milliseconds since 1970, rounded down.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static func components(_ date: Date) -> (tm, Int64) {
        let millis = milliseconds(date)
        var seconds = time_t(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (parts, millis - Int64(seconds) * 1000)
    }

    /// `YYYY-MM-DD` of the instant in UTC.
    static func day(_ date: Date) -> String {
        let (parts, _) = components(date)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
    }

    /// `yyyyMMddTHHmmssSSSZ` of the instant in UTC: attempt folder names sort by time.
    static func compactStamp(_ date: Date) -> String {
        let (parts, millis) = components(date)
        return pad(Int(parts.tm_year) + 1900, 4) + pad(Int(parts.tm_mon) + 1, 2) + pad(Int(parts.tm_mday), 2) + "T"
            + pad(Int(parts.tm_hour), 2) + pad(Int(parts.tm_min), 2) + pad(Int(parts.tm_sec), 2) + pad(Int(millis), 3) + "Z"
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` string; `nil` when it is not one.
    static func dayNumber(_ day: String) -> Int? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(dayOfMonth) else { return nil }
        var parts2 = tm()
        parts2.tm_year = Int32(year - 1900)
        parts2.tm_mon = Int32(month - 1)
        parts2.tm_mday = Int32(dayOfMonth)
        let seconds = timegm(&parts2)
        guard UTCDay.day(Date(timeIntervalSince1970: TimeInterval(seconds))) == day else { return nil }
        return Int(seconds / 86_400)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
