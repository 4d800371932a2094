import Foundation

/// Maps wall-clock readings in a zone to instants using only `TimeZone.secondsFromGMT(for:)`.
struct CronWallClock: Sendable {
    /// The zone whose wall clock is read.
    let zone: TimeZone

    /// Largest distance between an instant and its wall-clock reading that is searched, with a
    /// margin: real offsets lie within -12:00…+14:00, historical local mean times within ±16:00.
    static let maximumOffset = 16 * 3600

    /// Offset from UTC, in seconds, at the instant `seconds` since 1970.
    func offset(at seconds: Int) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The wall-clock reading (local seconds) at the instant `seconds` since 1970.
    func localSeconds(at seconds: Int) -> Int {
        seconds + offset(at: seconds)
    }

    /// The earliest instant whose wall-clock reading is `localSeconds`, or nil if that reading
    /// never occurs (it falls in a forward gap).
    ///
    /// Every solution `u` of `u + offset(u) == localSeconds` lies within ±16 h of
    /// `localSeconds`; the offsets in force there are sampled at both ends and the middle of that
    /// window (enough unless three transitions fall within 32 hours) and each candidate is kept
    /// only if it reads back exactly.
    func firstInstant(localSeconds: Int) -> Int? {
        let window = Self.maximumOffset
        var candidates: [Int] = []
        for probe in [localSeconds - window, localSeconds, localSeconds + window] {
            let candidateOffset = offset(at: probe)
            let instant = localSeconds - candidateOffset
            if !candidates.contains(instant) && offset(at: instant) == candidateOffset {
                candidates.append(instant)
            }
        }
        return candidates.min()
    }
}
