import Foundation
import TrellisCore

/// Times as the API shows them (API §1.3): RFC 3339 at second precision with the offset of the
/// configured zone (`2026-05-07T09:08:32+09:00`, `Z` for UTC).
///
/// Required times that are unset are `""` (never `"-"`); optional ones are omitted.
public enum APITime {
    /// `2026-05-07T09:08:32+09:00`; `…Z` when the zone's offset is 0. Fractions are truncated.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        Timestamps.rfc3339Seconds(date, in: zone)
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
