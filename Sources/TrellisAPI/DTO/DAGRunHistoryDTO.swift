import Foundation
import TrellisCore

/// The body of `GET /dags/{fileName}/dag-runs` (API §4.14): `{dagRuns: DAGRunDetails[],
/// gridData: DAGGridItem[]}`, `DAGGridItem {name, history: int[]}`.
public enum DAGRunHistoryDTO {
    /// One run of the history with the DAG it was built from (for the nodes' steps).
    public struct Run: Sendable, Hashable {
        public var snapshot: RunSnapshot
        public var dag: DAG?
        public var specFromFile: Bool
        public var sourceFileName: String?

        public init(snapshot: RunSnapshot, dag: DAG?, specFromFile: Bool = false, sourceFileName: String? = nil) {
            self.snapshot = snapshot
            self.dag = dag
            self.specFromFile = specFromFile
            self.sourceFileName = sourceFileName
        }
    }

    /// - Parameters:
    ///   - runs: newest first (the caller keeps at most 30).
    ///   - current: the DAG as it is now, whose step order orders the grid.
    public static func render(_ runs: [Run], current: DAG?, zone: TimeZone) -> JSONValue {
        let details = runs.map {
            RunDTO.details($0.snapshot, dag: $0.dag, zone: zone, specFromFile: $0.specFromFile,
                           sourceFileName: $0.sourceFileName)
        }
        return ["dagRuns": .array(details), "gridData": .array(gridData(runs.map(\.snapshot), current: current))]
    }

    /// One row per step or handler node name seen in any run: steps first — in the current
    /// DAG's step order, then names it no longer has in order of first appearance — and the
    /// handlers last (`onInit` … `onExit`). `history[i]` is the node's status in `runs[i]`, 0
    /// where that run has no such node.
    public static func gridData(_ runs: [RunSnapshot], current: DAG?) -> [JSONValue] {
        var seen: [String] = []
        var known = Set<String>()
        for run in runs {
            for node in run.nodes where known.insert(node.name).inserted {
                seen.append(node.name)
            }
        }
        let order = Dictionary((current?.steps ?? []).enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let firstSeen = Dictionary(seen.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let steps = seen.sorted { lhs, rhs in
            switch (order[lhs], order[rhs]) {
            case let (left?, right?): return left < right
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return firstSeen[lhs, default: 0] < firstSeen[rhs, default: 0]
            }
        }
        var rows: [JSONValue] = steps.map { name in
            row(name, runs.map { run in run.nodes.first { $0.name == name }?.status.rawValue ?? 0 })
        }
        for key in RunDTO.handlerKeys where runs.contains(where: { $0.handlers[key] != nil }) {
            rows.append(row(key, runs.map { $0.handlers[key]?.status.rawValue ?? 0 }))
        }
        return rows
    }

    private static func row(_ name: String, _ history: [Int]) -> JSONValue {
        ["name": .string(name), "history": DTOValue.integers(history)]
    }
}
