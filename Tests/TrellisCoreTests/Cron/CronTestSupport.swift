import Foundation
import Testing

/// Parses an ISO-8601 instant with an explicit offset (`2026-03-08T01:59:00-05:00`), optionally
/// with fractional seconds.
func cronInstant(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = text.contains(".")
        ? [.withInternetDateTime, .withFractionalSeconds]
        : [.withInternetDateTime]
    return try #require(formatter.date(from: text), "bad test instant \(text)", sourceLocation: sourceLocation)
}

/// A zone by identifier; the test fails if the system does not know it.
func cronZone(_ identifier: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> TimeZone {
    try #require(TimeZone(identifier: identifier), "unknown zone \(identifier)", sourceLocation: sourceLocation)
}

/// Renders an instant as UTC ISO-8601 for readable failure messages.
func cronUTCText(_ date: Date?) -> String {
    guard let date else { return "nil" }
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}
