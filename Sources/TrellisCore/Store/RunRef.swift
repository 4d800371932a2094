/// Identifies a run: the DAG name and the run ID (§1.2).
public struct RunRef: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The DAG name (not the file name).
    public var name: String
    /// The run ID.
    public var id: String

    public init(name: String, id: String) {
        self.name = name
        self.id = id
    }

    public var description: String { "\(name):\(id)" }
}
