import Foundation

/// The set of values one field of a cron expression matches, stored as a bit set.
///
/// Day-of-week 7 is folded into 0 (Sunday) when the field is built, so `contains` and
/// `first(atOrAfter:)` only ever see 0-6 for that field.
struct CronField: Sendable, Hashable {
    /// Which position this field occupies.
    let kind: CronFieldKind
    /// Bit `v` is set when value `v` matches.
    let bits: UInt64
    /// True when the field text starts with `*` or `?` (Vixie cron's "star" flag), which decides
    /// whether the two day fields combine with OR or AND.
    let isStar: Bool

    /// Creates a field from the values it matches.
    init(kind: CronFieldKind, values: some Sequence<Int>, isStar: Bool) {
        var bits: UInt64 = 0
        for value in values {
            let folded = kind == .dayOfWeek && value == 7 ? 0 : value
            bits |= 1 << UInt64(folded)
        }
        self.kind = kind
        self.bits = bits
        self.isStar = isStar
    }

    /// Whether `value` matches.
    func contains(_ value: Int) -> Bool {
        guard value >= 0, value < 64 else { return false }
        return bits & (1 << UInt64(value)) != 0
    }

    /// The smallest matching value that is `>= value`, or nil if there is none.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = value <= 0 ? bits : bits & (~UInt64(0) << UInt64(value))
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// All matching values in ascending order.
    var values: [Int] {
        (0..<64).filter { contains($0) }
    }
}
