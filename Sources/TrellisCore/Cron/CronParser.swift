import Foundation

/// Turns the text of a cron expression into fields, an optional zone and warnings.
///
/// Grammar (spec §15.1): an optional `CRON_TZ=<zone> ` or `TZ=<zone> ` prefix, then exactly five
/// fields separated by runs of spaces or tabs. Each field is a comma-separated list of items; an
/// item is `*`, `?`, `v`, `a-b`, `*/n`, `a-b/n` or `a/n` (from `a` to the field's maximum).
/// For day-of-week, `*` and `a/n` run to 6 (Saturday): 7 is only an alias of Sunday.
struct CronParser: Sendable {
    /// The result of a successful parse.
    struct Parsed: Sendable, Hashable {
        var source: String
        var timeZoneIdentifier: String?
        var timeZone: TimeZone?
        var minutes: CronField
        var hours: CronField
        var daysOfMonth: CronField
        var months: CronField
        var daysOfWeek: CronField
        var warnings: [String]
    }

    /// The field names, in order, as listed in the field-count error.
    static let fieldListText = "minute hour day-of-month month day-of-week"

    /// The error for `@daily`, `@every 5m` and other `@` descriptors.
    static let descriptorMessage =
        #"cron descriptors like "@daily" are not supported; use 5 fields, e.g. "0 0 * * *""#

    /// Parses `text`, throwing the first problem found.
    func parse(_ text: String) throws(CronError) -> Parsed {
        let source = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !source.isEmpty else {
            throw CronError("empty cron expression; expected 5 fields (\(Self.fieldListText))")
        }
        if source.hasPrefix("@") {
            throw CronError(Self.descriptorMessage)
        }
        var tokens = source.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var zoneIdentifier: String?
        var zone: TimeZone?
        if let first = tokens.first, let prefix = ["CRON_TZ=", "TZ="].first(where: first.hasPrefix) {
            let identifier = String(first.dropFirst(prefix.count))
            guard !identifier.isEmpty else {
                throw CronError("missing time zone after \"\(prefix)\"")
            }
            guard let resolved = TimeZone(identifier: identifier) else {
                throw CronError("unknown time zone \"\(identifier)\"")
            }
            zoneIdentifier = identifier
            zone = resolved
            tokens.removeFirst()
        }
        if let first = tokens.first, first.hasPrefix("@") {
            throw CronError(Self.descriptorMessage)
        }
        guard tokens.count == 5 else {
            throw CronError("expected 5 fields (\(Self.fieldListText)), got \(tokens.count)")
        }
        var warnings: [String] = []
        func field(_ index: Int, _ kind: CronFieldKind) throws(CronError) -> CronField {
            let parsed = try parseField(tokens[index], kind: kind)
            for warning in parsed.warnings where !warnings.contains(warning) {
                warnings.append(warning)
            }
            return parsed.field
        }
        let minutes = try field(0, .minute)
        let hours = try field(1, .hour)
        let daysOfMonth = try field(2, .dayOfMonth)
        let months = try field(3, .month)
        let daysOfWeek = try field(4, .dayOfWeek)
        return Parsed(
            source: source,
            timeZoneIdentifier: zoneIdentifier,
            timeZone: zone,
            minutes: minutes,
            hours: hours,
            daysOfMonth: daysOfMonth,
            months: months,
            daysOfWeek: daysOfWeek,
            warnings: warnings
        )
    }

    /// Parses one field: a comma-separated list of items.
    func parseField(
        _ text: String,
        kind: CronFieldKind
    ) throws(CronError) -> (field: CronField, warnings: [String]) {
        var values = Set<Int>()
        var warnings: [String] = []
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        for item in items {
            guard !item.isEmpty else {
                throw CronError("invalid \(kind.name) \"\(text)\": empty list item")
            }
            let parsed = try parseItem(String(item), kind: kind)
            values.formUnion(parsed.values)
            if let warning = parsed.warning { warnings.append(warning) }
        }
        let isStar = text.hasPrefix("*") || text.hasPrefix("?")
        return (CronField(kind: kind, values: values, isStar: isStar), warnings)
    }

    /// Parses one list item: a value, a range or a wildcard, with an optional step.
    func parseItem(_ item: String, kind: CronFieldKind) throws(CronError) -> (values: [Int], warning: String?) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw CronError("invalid \(kind.name) \"\(item)\": more than one \"/\"")
        }
        let base = String(parts[0])
        var step = 1
        if parts.count == 2 {
            step = try parseStep(String(parts[1]), item: item, kind: kind)
        }
        let isWildcard = base == "*" || base == "?"
        let lower: Int
        let upper: Int
        if isWildcard {
            lower = kind.lowerBound
            upper = kind.openEndedUpperBound
        } else if let dash = base.firstIndex(of: "-") {
            let startText = String(base[..<dash])
            let endText = String(base[base.index(after: dash)...])
            guard !startText.isEmpty, !endText.isEmpty, !endText.contains("-") else {
                throw CronError("invalid \(kind.name) range \"\(item)\"")
            }
            lower = try parseValue(startText, kind: kind, isRangeEnd: false)
            upper = try parseValue(endText, kind: kind, isRangeEnd: true)
            guard lower <= upper else {
                throw CronError("invalid \(kind.name) range \"\(item)\": start is after end")
            }
        } else {
            guard !base.isEmpty else {
                throw CronError("invalid \(kind.name) \"\(item)\"")
            }
            lower = try parseValue(base, kind: kind, isRangeEnd: false)
            upper = parts.count == 2 ? kind.openEndedUpperBound : lower
        }
        let values = Array(stride(from: lower, through: upper, by: step))
        let warning = isWildcard && parts.count == 2 ? Self.stepWarning(step: step, kind: kind) : nil
        return (values, warning)
    }

    /// Parses the `n` of a step; it must be a whole number of at least 1.
    func parseStep(_ text: String, item: String, kind: CronFieldKind) throws(CronError) -> Int {
        guard Self.isDecimal(text) else {
            throw CronError("invalid \(kind.name) step \"\(text)\" in \"\(item)\"")
        }
        guard let step = Int(text), step >= 1 else {
            if text.allSatisfy({ $0 == "0" }) {
                throw CronError("invalid \(kind.name) step 0 in \"\(item)\": a step must be at least 1")
            }
            throw CronError("invalid \(kind.name) step \"\(text)\" in \"\(item)\"")
        }
        return step
    }

    /// Parses a number or (month, day-of-week) a three-letter name, checking the field's range.
    ///
    /// `SUN` at the end of a day-of-week range means 7, so `FRI-SUN` is Friday to Sunday.
    func parseValue(_ text: String, kind: CronFieldKind, isRangeEnd: Bool) throws(CronError) -> Int {
        if Self.isDecimal(text) {
            guard let value = Int(text), (kind.lowerBound...kind.upperBound).contains(value) else {
                throw CronError("\(kind.name) \(text) out of range \(kind.rangeText)")
            }
            return value
        }
        guard let value = kind.names[text.uppercased()] else {
            throw CronError("invalid \(kind.name) \"\(text)\"")
        }
        if kind == .dayOfWeek && value == 0 && isRangeEnd {
            return 7
        }
        return value
    }

    /// The warning for a `*/n` step that does not divide the minute or hour cycle, else nil.
    static func stepWarning(step: Int, kind: CronFieldKind) -> String? {
        switch kind {
        case .minute:
            guard 60 % step != 0 else { return nil }
            let last = (59 / step) * step
            let gap = 60 - last
            return "minute step */\(step) does not divide 60: it fires at :\(twoDigits(last)) and then "
                + "at :00 of the next hour, \(gap) minute\(gap == 1 ? "" : "s") later instead of \(step)"
        case .hour:
            guard 24 % step != 0 else { return nil }
            let last = (23 / step) * step
            let gap = 24 - last
            return "hour step */\(step) does not divide 24: it fires at \(twoDigits(last)):00 and then "
                + "at 00:00 of the next day, \(gap) hour\(gap == 1 ? "" : "s") later instead of \(step)"
        case .dayOfMonth, .month, .dayOfWeek:
            return nil
        }
    }

    /// True for a non-empty run of `0`-`9` (not other Unicode digits, signs or spaces).
    private static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
