/// What started a run (`triggerType`, §11), with Dagu's integers and labels.
public enum TriggerType: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case unknown = 0
    /// The scheduler's cron and one-off runs.
    case scheduler = 1
    /// API and CLI starts.
    case manual = 2
    /// [later]
    case webhook = 3
    /// A run started by a parent's sub-DAG step.
    case subdag = 4
    /// A manual retry (§13.1).
    case retry = 5
    /// [later]
    case catchup = 6

    /// The label shown for an integer that is not a trigger type.
    public static let unknownLabel = "unknown"

    /// The label as it appears in the API (`scheduler`).
    public var label: String {
        switch self {
        case .unknown: "unknown"
        case .scheduler: "scheduler"
        case .manual: "manual"
        case .webhook: "webhook"
        case .subdag: "subdag"
        case .retry: "retry"
        case .catchup: "catchup"
        }
    }

    /// The trigger type with this label, or `nil`.
    public init?(label: String) {
        guard let type = Self.allCases.first(where: { $0.label == label }) else { return nil }
        self = type
    }

    /// The label of a stored integer; `unknown` for an integer that is not a trigger type.
    public static func label(forRawValue rawValue: Int) -> String {
        TriggerType(rawValue: rawValue)?.label ?? unknownLabel
    }

    public var description: String { label }
}
