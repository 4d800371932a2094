import Foundation

/// What a reader keeps per stored line: the fields filters and ordering need, and where the
/// line is, so only a page's lines are parsed in full.
public struct EventIndexItem: Sendable, Hashable {
    public var position: EventPosition
    public var kind: String
    public var type: String
    public var dagName: String?
    public var dagRunId: String?
    public var attemptId: String?
    /// Which file (the reader's numbering) and the line's byte range in it.
    public var file: Int
    public var offset: Int64
    public var length: Int

    public init(entry: EventLogEntry, file: Int, offset: Int64, length: Int) {
        position = entry.position
        kind = entry.kind
        type = entry.type
        dagName = entry.dagName
        dagRunId = entry.dagRunId
        attemptId = entry.attemptId
        self.file = file
        self.offset = offset
        self.length = length
    }

    public func matches(_ filter: EventFilter) -> Bool {
        filter.matches(kind: kind, type: type, dagName: dagName, dagRunId: dagRunId, attemptId: attemptId,
                       occurredAt: position.occurredAt)
    }
}
