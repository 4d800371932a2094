import Foundation

/// The sort key of an entry: `occurredAt` desc, then `recordedAt` desc, then `id` desc.
public struct EventPosition: Sendable, Hashable {
    public var occurredAt: Int64
    public var recordedAt: Int64
    public var id: String

    public init(occurredAt: Int64, recordedAt: Int64, id: String) {
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.id = id
    }

    /// Whether `self` is listed before `other` (is newer).
    public func precedes(_ other: EventPosition) -> Bool {
        if occurredAt != other.occurredAt { return occurredAt > other.occurredAt }
        if recordedAt != other.recordedAt { return recordedAt > other.recordedAt }
        return id > other.id
    }
}
