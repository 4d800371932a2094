/// The status of one node (step or handler) of a run (§11), with Dagu's integers and labels.
public enum NodeStatus: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case notStarted = 0
    case running = 1
    case failed = 2
    case aborted = 3
    case succeeded = 4
    case skipped = 5
    case partiallySucceeded = 6
    /// Waiting for an approval ([later]).
    case waiting = 7
    /// An approval was rejected ([later]).
    case rejected = 8
    /// Failed, and waiting for its next retry (§8.2).
    case retrying = 9

    /// The label shown for an integer that is not a node status.
    public static let unknownLabel = "unknown"

    /// The label as it appears in `statusLabel` (`not_started`).
    public var label: String {
        switch self {
        case .notStarted: "not_started"
        case .running: "running"
        case .failed: "failed"
        case .aborted: "aborted"
        case .succeeded: "succeeded"
        case .skipped: "skipped"
        case .partiallySucceeded: "partially_succeeded"
        case .waiting: "waiting"
        case .rejected: "rejected"
        case .retrying: "retrying"
        }
    }

    /// The status with this label, or `nil`.
    public init?(label: String) {
        guard let status = Self.allCases.first(where: { $0.label == label }) else { return nil }
        self = status
    }

    /// The label of a stored integer; `unknown` for an integer that is not a node status.
    public static func label(forRawValue rawValue: Int) -> String {
        NodeStatus(rawValue: rawValue)?.label ?? unknownLabel
    }

    /// The node has finished for this attempt: {2, 3, 4, 5, 6, 8}.
    public var isDone: Bool {
        switch self {
        case .failed, .aborted, .succeeded, .skipped, .partiallySucceeded, .rejected: true
        case .notStarted, .running, .waiting, .retrying: false
        }
    }

    /// Succeeded or partially succeeded (4, 6).
    public var isSuccessful: Bool { self == .succeeded || self == .partiallySucceeded }

    /// Holds a `max_active_steps` slot: running, or between two tries (1, 9).
    public var isInFlight: Bool { self == .running || self == .retrying }

    public var description: String { label }
}
