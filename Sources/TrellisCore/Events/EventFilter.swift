import Foundation

/// The filters of `GET /event-logs` (API §8.1). Every set field must match.
public struct EventFilter: Sendable, Hashable {
    /// `dag_run` or `llm_usage` (which matches nothing in Trellis).
    public var kind: String?
    public var type: String?
    public var dagName: String?
    public var dagRunId: String?
    public var attemptId: String?
    /// A `sessionId`, `userId` or `model` value was given: no Trellis event carries them.
    public var matchesNothing = false
    /// Inclusive bounds on `occurredAt` (milliseconds).
    public var startTime: Int64?
    public var endTime: Int64?

    public init(kind: String? = nil, type: String? = nil, dagName: String? = nil, dagRunId: String? = nil,
                attemptId: String? = nil, matchesNothing: Bool = false, startTime: Int64? = nil, endTime: Int64? = nil) {
        self.kind = kind
        self.type = type
        self.dagName = dagName
        self.dagRunId = dagRunId
        self.attemptId = attemptId
        self.matchesNothing = matchesNothing
        self.startTime = startTime
        self.endTime = endTime
    }

    /// Whether an entry with these fields matches.
    public func matches(kind entryKind: String, type entryType: String, dagName entryDAG: String?, dagRunId entryRun: String?,
                        attemptId entryAttempt: String?, occurredAt: Int64) -> Bool {
        if matchesNothing { return false }
        if let kind, kind != entryKind { return false }
        if let type, type != entryType { return false }
        if let dagName, dagName != entryDAG { return false }
        if let dagRunId, dagRunId != entryRun { return false }
        if let attemptId, attemptId != entryAttempt { return false }
        if let startTime, occurredAt < startTime { return false }
        if let endTime, occurredAt > endTime { return false }
        return true
    }

    public func matches(_ entry: EventLogEntry) -> Bool {
        matches(kind: entry.kind, type: entry.type, dagName: entry.dagName, dagRunId: entry.dagRunId,
                attemptId: entry.attemptId, occurredAt: entry.occurredAt)
    }

    /// Identifies the filters, so a cursor is only accepted with the ones it was issued for.
    public var fingerprint: String {
        let parts = [kind ?? "", type ?? "", dagName ?? "", dagRunId ?? "", attemptId ?? "", matchesNothing ? "1" : "0",
                     startTime.map(String.init) ?? "", endTime.map(String.init) ?? ""]
        return String(EventID.hex(SHA256.hash(Array(parts.joined(separator: "\u{1}").utf8))).prefix(16))
    }
}

/// The opaque cursor of event log pages (API §1.6): the last entry's position and the filter
/// fingerprint, as base64url JSON without padding.
public struct EventCursor: Sendable, Hashable {
    public var after: EventPosition
    public var fingerprint: String

    public init(after: EventPosition, fingerprint: String) {
        self.after = after
        self.fingerprint = fingerprint
    }

    public var encoded: String {
        let json = JSONValue.object(JSONObject([
            ("o", .integer(Int(after.occurredAt))), ("r", .integer(Int(after.recordedAt))), ("i", .string(after.id)),
            ("f", .string(fingerprint)),
        ])).serialized()
        return Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public enum DecodingError: Error, Sendable, Hashable {
        /// Not a cursor this server issued.
        case malformed
        /// Issued for other filters.
        case otherFilters
    }

    /// Decodes a cursor and checks it was issued for `fingerprint`.
    public static func decode(_ text: String, fingerprint expected: String) throws(DecodingError) -> EventCursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count < 4096, let data = Data(base64Encoded: base64),
              case .object(let object)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
              case .integer(let occurred)? = object["o"], case .integer(let recorded)? = object["r"],
              case .string(let id)? = object["i"], case .string(let fingerprint)? = object["f"] else {
            throw .malformed
        }
        guard fingerprint == expected else { throw .otherFilters }
        return EventCursor(after: EventPosition(occurredAt: Int64(occurred), recordedAt: Int64(recorded), id: id),
                           fingerprint: fingerprint)
    }
}
