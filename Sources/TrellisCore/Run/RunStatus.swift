/// The status of a run (§11). The integers and labels are Dagu's: integers in stored JSON and the
/// API's `status`, labels in `statusLabel` and `DAG_RUN_STATUS`.
public enum RunStatus: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case notStarted = 0
    case running = 1
    case failed = 2
    case aborted = 3
    case succeeded = 4
    case queued = 5
    case partiallySucceeded = 6
    /// Waiting for an approval ([later]).
    case waiting = 7
    /// An approval was rejected ([later]).
    case rejected = 8

    /// The label shown for an integer that is not a run status.
    public static let unknownLabel = "unknown"

    /// The label as it appears in `statusLabel` (`partially_succeeded`).
    public var label: String {
        switch self {
        case .notStarted: "not_started"
        case .running: "running"
        case .failed: "failed"
        case .aborted: "aborted"
        case .succeeded: "succeeded"
        case .queued: "queued"
        case .partiallySucceeded: "partially_succeeded"
        case .waiting: "waiting"
        case .rejected: "rejected"
        }
    }

    /// The status with this label, or `nil`.
    public init?(label: String) {
        guard let status = Self.allCases.first(where: { $0.label == label }) else { return nil }
        self = status
    }

    /// The label of a stored integer; `unknown` for an integer that is not a run status.
    public static func label(forRawValue rawValue: Int) -> String {
        RunStatus(rawValue: rawValue)?.label ?? unknownLabel
    }

    /// Running, queued or waiting: the run is not over (1, 5, 7).
    public var isActive: Bool {
        switch self {
        case .running, .queued, .waiting: true
        default: false
        }
    }

    /// Neither active nor `not_started`: the run is over, whatever its outcome.
    public var hasEnded: Bool { !isActive && self != .notStarted }

    /// Succeeded or partially succeeded (4, 6): the run agent exits 0.
    public var isSuccessful: Bool { self == .succeeded || self == .partiallySucceeded }

    public var description: String { label }
}
