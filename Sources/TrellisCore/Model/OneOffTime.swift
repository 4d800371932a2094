import Foundation

/// Parses one-off `at` times: RFC 3339 with an explicit offset and seconds `00` (§15.1).
public enum OneOffTime {
    /// Why a one-off time was rejected.
    public struct Problem: Error, Sendable, Equatable {
        public let message: String
    }

    /// `2026-03-29T02:10:00+01:00` or `…Z` → the instant.
    public static func parse(_ text: String) -> Result<Date, Problem> {
        let usage = "\"\(text)\" is not an RFC 3339 time with offset, e.g. \"2026-03-29T02:10:00+01:00\""
        let chars = Array(text.trimmingCharacters(in: .whitespaces))
        guard chars.count >= 20,
              let year = number(chars, 0, 4), chars[4] == "-", let month = number(chars, 5, 2), chars[7] == "-",
              let day = number(chars, 8, 2), chars[10] == "T" || chars[10] == "t",
              let hour = number(chars, 11, 2), chars[13] == ":", let minute = number(chars, 14, 2), chars[16] == ":",
              let second = number(chars, 17, 2) else {
            return .failure(Problem(message: usage))
        }
        var rest = Array(chars[19...])
        if rest.first == "." {
            rest.removeFirst()
            var fraction = 0
            while let digit = rest.first, digit.isASCII, digit.isNumber {
                if digit != "0" { fraction += 1 }
                rest.removeFirst()
            }
            if fraction > 0 { return .failure(Problem(message: "\"\(text)\": seconds must be 00")) }
        }
        let offset: Int
        if rest == ["Z"] || rest == ["z"] {
            offset = 0
        } else if rest.count == 6, rest[0] == "+" || rest[0] == "-", let hours = number(rest, 1, 2), rest[3] == ":",
                  let minutes = number(rest, 4, 2), hours < 24, minutes < 60 {
            offset = (rest[0] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        } else {
            return .failure(Problem(message: usage + "; the offset (Z or ±hh:mm) is required"))
        }
        guard second == 0 else { return .failure(Problem(message: "\"\(text)\": seconds must be 00")) }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
              let zone = TimeZone(secondsFromGMT: offset) else {
            return .failure(Problem(message: "\"\(text)\" is not a valid date and time"))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: 0)
        guard let date = calendar.date(from: components) else {
            return .failure(Problem(message: "\"\(text)\" is not a valid date and time"))
        }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else {
            return .failure(Problem(message: "\"\(text)\" is not a valid date (day \(day) does not exist in that month)"))
        }
        return .success(date)
    }

    private static func number(_ chars: [Character], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= chars.count else { return nil }
        let slice = chars[start..<(start + length)]
        guard slice.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(String(slice))
    }
}
