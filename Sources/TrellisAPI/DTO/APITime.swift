import Foundation
import TrellisCore

/// Times as the API shows them (API §1.3): RFC 3339 at second precision with the offset of the
/// configured zone (`2026-05-07T09:08:32+09:00`, `Z` for UTC).
///
/// Required times that are unset are `""` (never `"-"`); optional ones are omitted.
public enum APITime {
    /// `2026-05-07T09:08:32+09:00`; `…Z` when the zone's offset is 0. Fractions are truncated.
    ///
    /// (`Timestamps.rfc3339Seconds` writes the offset without a colon, `+0900`, which is not
    /// RFC 3339; the API uses this instead.)
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: zone))
    }

    /// A required time: the formatted date, or `""` when unset.
    public static func required(_ date: Date?, in zone: TimeZone) -> JSONValue {
        .string(date.map { format($0, in: zone) } ?? "")
    }

    /// An optional time: the formatted date, or `nil` (the key is omitted) when unset.
    public static func optional(_ date: Date?, in zone: TimeZone) -> JSONValue? {
        date.map { .string(format($0, in: zone)) }
    }
}
