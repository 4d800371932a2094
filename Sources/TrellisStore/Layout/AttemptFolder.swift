import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// One attempt folder of a run: `attempts/<yyyyMMddTHHmmssSSSZ>_<attempt-id>/`.
/// The latest attempt is the one with the greatest folder name.
struct AttemptFolder: Sendable, Hashable {
    /// The folder name.
    let name: String
    /// The absolute folder path.
    let directory: String

    init(name: String, runDirectory: String) {
        self.name = name
        directory = runDirectory + "/attempts/" + name
    }

    /// The attempt ID: the part after the first `_`.
    var id: String {
        guard let separator = name.firstIndex(of: "_") else { return name }
        return String(name[name.index(after: separator)...])
    }

    /// The time stamp part of the name.
    var stamp: String { String(name.prefix { $0 != "_" }) }

    var statusPath: String { directory + "/status.jsonl" }
    var stepsDirectory: String { directory + "/steps" }

    /// The run's attempts, oldest first.
    static func all(in runDirectory: String) throws(StoreError) -> [AttemptFolder] {
        try Posix.list(runDirectory + "/attempts")
            .filter { $0.contains("_") && !$0.hasPrefix(".") }
            .sorted()
            .map { AttemptFolder(name: $0, runDirectory: runDirectory) }
    }

    /// The run's latest attempt, or `nil` when it has none.
    static func latest(in runDirectory: String) throws(StoreError) -> AttemptFolder? {
        try all(in: runDirectory).last
    }

    /// The attempt with this ID; the latest one for an empty ID.
    static func find(_ id: String, in runDirectory: String) throws(StoreError) -> AttemptFolder? {
        let attempts = try all(in: runDirectory)
        return id.isEmpty ? attempts.last : attempts.last { $0.id == id }
    }

    /// The folder for a new attempt created at `now`, named after every existing one (a clock that
    /// did not move, or moved back, still yields a later name).
    static func next(in runDirectory: String, now: Date, id: String) throws(StoreError) -> AttemptFolder {
        var stamp = UTCDay.compactStamp(now)
        if let last = try latest(in: runDirectory), stamp <= last.stamp {
            let lastMillis = parseStamp(last.stamp) ?? UTCDay.milliseconds(now)
            stamp = UTCDay.compactStamp(Date(timeIntervalSince1970: TimeInterval(lastMillis + 1) / 1000))
        }
        return AttemptFolder(name: stamp + "_" + id, runDirectory: runDirectory)
    }

    /// A short random attempt ID: 8 hex digits.
    static func makeID() -> String {
        hex(UInt32.random(in: .min ... .max))
    }

    private static func hex(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }

    /// Milliseconds since 1970 of a `yyyyMMddTHHmmssSSSZ` stamp.
    static func parseStamp(_ stamp: String) -> Int64? {
        let chars = Array(stamp.utf8)
        guard chars.count == 19, chars[8] == UInt8(ascii: "T"), chars[18] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? { Int32(String(decoding: chars[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
              let minute = number(11..<13), let second = number(13..<15), let millis = number(15..<18) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int64(timegm(&parts)) * 1000 + Int64(millis)
    }
}
