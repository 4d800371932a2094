import Foundation

/// Stable names for schedule entries and the scheduler's deterministic run IDs (§15.4).
public enum ScheduleIdentity {
    /// The id of a schedule entry, stable across reloads and independent of how the time was
    /// written: `cron:<source>` for a cron entry (the text as written, `CRON_TZ=` prefix
    /// included), `at:<UTC instant>` for a one-off (`at:2026-03-29T01:10:00Z`), so
    /// `02:10:00+01:00` and `01:10:00Z` are the same entry.
    public static func id(of entry: ScheduleEntry) -> String {
        switch entry {
        case .cron(let cron): return "cron:" + cron.source
        case .at(let date, _): return oneOffID(at: date)
        }
    }

    /// The id of a one-off entry at `date`.
    public static func oneOffID(at date: Date) -> String {
        "at:" + utcText(date)
    }

    /// A fingerprint of a start schedule: 16 hex digits of SHA-256 over the sorted, de-duplicated
    /// entry ids. Reordering entries keeps it; adding, removing or editing one changes it.
    public static func fingerprint(ofStart entries: [ScheduleEntry]) -> String {
        let ids = Set(entries.map(id(of:))).sorted()
        return hex(SHA256.hash(Array(ids.joined(separator: "\n").utf8)), digits: 16)
    }

    /// The deterministic run ID of a one-off start (§15.4), Dagu's layout:
    /// `oneoff-<name>-<hash8>-<UTC yyyyMMddTHHmmss>`.
    ///
    /// `<name>` is the DAG name with `.` replaced by `_` (run IDs do not allow dots), cut so the
    /// ID fits in 64 characters; `<hash8>` is 8 hex digits of SHA-256 of `"<DAG name>:<entry id>"`,
    /// so two DAGs whose names differ only in a dot, or two one-offs of one DAG, never share an ID.
    public static func oneOffRunID(dagName: String, at date: Date) -> String {
        let prefix = "oneoff-"
        let stamp = compactUTCText(date)
        let hash = hex(SHA256.hash(Array("\(dagName):\(oneOffID(at: date))".utf8)), digits: 8)
        let room = 64 - prefix.count - 1 - hash.count - 1 - stamp.count
        let name = String(dagName.replacingOccurrences(of: ".", with: "_").prefix(room))
        return "\(prefix)\(name)-\(hash)-\(stamp)"
    }

    /// `2026-03-29T01:10:00Z` (whole seconds, UTC).
    static func utcText(_ date: Date) -> String {
        let (year, month, day, hour, minute, second) = utcComponents(date)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute)):\(pad(second))Z"
    }

    /// `20260329T011000` (whole seconds, UTC).
    static func compactUTCText(_ date: Date) -> String {
        let (year, month, day, hour, minute, second) = utcComponents(date)
        return "\(pad(year, 4))\(pad(month))\(pad(day))T\(pad(hour))\(pad(minute))\(pad(second))"
    }

    private static func utcComponents(_ date: Date) -> (Int, Int, Int, Int, Int, Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = CronLocalMinute.floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let civil = CivilDate.date(days: days)
        return (civil.year, civil.month, civil.day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func hex(_ bytes: [UInt8], digits: Int) -> String {
        let alphabet = Array("0123456789abcdef")
        var text = ""
        for byte in bytes.prefix((digits + 1) / 2) {
            text.append(alphabet[Int(byte >> 4)])
            text.append(alphabet[Int(byte & 0x0f)])
        }
        return String(text.prefix(digits))
    }
}
