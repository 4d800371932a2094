import Foundation

/// One entry of the event log (API §8.2), as stored in `data/events/<UTC date>.jsonl` and as
/// served by `GET /event-logs`: the same camelCase object in both places.
public struct EventLogEntry: Sendable, Hashable {
    /// The entry kind; Trellis writes only `dag_run`.
    public static let dagRunKind = "dag_run"
    /// The version of this shape.
    public static let currentSchemaVersion = 1

    public var id: String
    public var schemaVersion: Int
    /// When the transition happened (§8.2 table), milliseconds since 1970.
    public var occurredAt: Int64
    /// When the entry was written (UTC), milliseconds since 1970.
    public var recordedAt: Int64
    public var kind: String
    public var type: String
    public var sourceService: String
    /// `<hostname>:<pid>`.
    public var sourceInstance: String?
    public var dagName: String?
    public var dagRunId: String?
    public var attemptId: String?
    /// The run status label.
    public var status: String?
    /// `{dag_run_status: {…}}`, snake_case inside.
    public var data: JSONValue?

    public init(id: String, occurredAt: Int64, recordedAt: Int64, type: String, sourceService: String,
                sourceInstance: String? = nil, dagName: String? = nil, dagRunId: String? = nil, attemptId: String? = nil,
                status: String? = nil, data: JSONValue? = nil, kind: String = EventLogEntry.dagRunKind,
                schemaVersion: Int = EventLogEntry.currentSchemaVersion) {
        self.id = id
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.kind = kind
        self.type = type
        self.sourceService = sourceService
        self.sourceInstance = sourceInstance
        self.dagName = dagName
        self.dagRunId = dagRunId
        self.attemptId = attemptId
        self.status = status
        self.data = data
    }

    /// The JSON object, `data` last (readers index a line by the fields before it).
    public var json: JSONValue {
        var entries: [(String, JSONValue)] = [
            ("id", .string(id)), ("schemaVersion", .integer(schemaVersion)),
            ("occurredAt", .string(EventTime.format(occurredAt))), ("recordedAt", .string(EventTime.format(recordedAt))),
            ("kind", .string(kind)), ("type", .string(type)), ("sourceService", .string(sourceService)),
        ]
        if let sourceInstance { entries.append(("sourceInstance", .string(sourceInstance))) }
        if let dagName { entries.append(("dagName", .string(dagName))) }
        if let dagRunId { entries.append(("dagRunId", .string(dagRunId))) }
        if let attemptId { entries.append(("attemptId", .string(attemptId))) }
        if let status { entries.append(("status", .string(status))) }
        if let data { entries.append(("data", data)) }
        return .object(JSONObject(entries))
    }

    /// One JSONL line, newline included.
    public var line: String { json.serialized() + "\n" }

    /// The entry of a parsed line; `nil` when a required field is missing or malformed.
    public init?(json: JSONValue) {
        guard case .object(let object) = json,
              case .string(let id)? = object["id"], !id.isEmpty,
              case .string(let occurred)? = object["occurredAt"], let occurredAt = EventTime.parse(occurred),
              case .string(let recorded)? = object["recordedAt"], let recordedAt = EventTime.parse(recorded),
              case .string(let type)? = object["type"],
              case .string(let source)? = object["sourceService"] else { return nil }
        self.init(id: id, occurredAt: occurredAt, recordedAt: recordedAt, type: type, sourceService: source,
                  sourceInstance: object["sourceInstance"]?.stringValue, dagName: object["dagName"]?.stringValue,
                  dagRunId: object["dagRunId"]?.stringValue, attemptId: object["attemptId"]?.stringValue,
                  status: object["status"]?.stringValue, data: object["data"],
                  kind: object["kind"]?.stringValue ?? Self.dagRunKind,
                  schemaVersion: object["schemaVersion"]?.intValue ?? Self.currentSchemaVersion)
    }

    /// Parses one stored line; `nil` for a torn or foreign line.
    public init?(line: String) {
        guard let value = try? JSONValue.parse(line) else { return nil }
        self.init(json: value)
    }

    /// Where the entry sorts (API §8.1: newest first).
    public var position: EventPosition {
        EventPosition(occurredAt: occurredAt, recordedAt: recordedAt, id: id)
    }
}
