import Foundation

/// Event timestamps as milliseconds since 1970 and their RFC 3339 UTC form
/// (`2026-11-29T05:36:01.123Z`). Parsing the stored form is done by hand: a reader indexes
/// every line of a day file, and `Date.ISO8601FormatStyle` is too slow for that.
public enum EventTime {
    /// Milliseconds since 1970, to the nearest millisecond.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// RFC 3339 in UTC with milliseconds.
    public static func format(_ milliseconds: Int64) -> String {
        FastTimestamp.utcMillis(date(milliseconds))
    }

    /// `YYYY-MM-DD` (UTC) of the instant: the day file it is written to.
    public static func day(_ milliseconds: Int64) -> String {
        let days = Int(floorDivide(milliseconds, 86_400_000))
        let civil = CivilDate.date(days: days)
        return pad(civil.year, 4) + "-" + pad(civil.month, 2) + "-" + pad(civil.day, 2)
    }

    /// The first millisecond of the UTC day `YYYY-MM-DD`; `nil` for another text.
    public static func startOfDay(_ day: String) -> Int64? {
        let bytes = Array(day.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let dayOfMonth = number(bytes, 8, 2),
              (1...12).contains(month), (1...31).contains(dayOfMonth) else { return nil }
        return Int64(CivilDate.days(year: year, month: month, day: dayOfMonth)) * 86_400_000
    }

    /// Parses RFC 3339: the stored form fast, any other valid form through Foundation.
    public static func parse(_ text: String) -> Int64? {
        if let fast = parseStoredForm(text) { return fast }
        // Foundation rolls an impossible date (February 30) over; refuse it instead.
        let bytes = Array(text.utf8.prefix(11))
        guard bytes.count == 11, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
              (1...12).contains(month), (1...CivilDate.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        return Timestamps.parse(text).map(milliseconds)
    }

    /// The stored form only (`YYYY-MM-DDTHH:MM:SS[.fff]Z`); `nil` for any other text.
    public static func parseStoredForm(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { fastParse($0) }
    }

    /// Parses RFC 3339 given as UTF-8 bytes (the stored form without making a string first).
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        if let fast = fastParse(bytes) { return fast }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z` exactly; `nil` for anything else.
    private static func fastParse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count == 20 || bytes.count == 24, bytes[bytes.count - 1] == UInt8(ascii: "Z"),
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
              let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
              (1...12).contains(month), (1...CivilDate.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var millis = 0
        if bytes.count == 24 {
            guard bytes[19] == UInt8(ascii: "."), let fraction = number(bytes, 20, 3) else { return nil }
            millis = fraction
        }
        let days = Int64(CivilDate.days(year: year, month: month, day: day))
        return ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millis)
    }

    private static func number<C: Collection>(_ bytes: C, _ start: Int, _ count: Int) -> Int? where C.Element == UInt8, C.Index == Int {
        var value = 0
        for index in start..<(start + count) {
            let byte = bytes[bytes.startIndex + index]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
