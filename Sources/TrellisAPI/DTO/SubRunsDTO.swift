import Foundation
import TrellisCore

/// The body of `GET /dag-runs/{name}/{dagRunId}/sub-dag-runs` (API §6.13):
/// `{subRuns: SubDAGRunDetail[]}`, `SubDAGRunDetail {dagRunId, dagName, params?, status,
/// statusLabel, startedAt, finishedAt}`.
public enum SubRunsDTO {
    /// One child run: what its parent's node recorded, and the child's own latest snapshot
    /// when it exists.
    public struct Child: Sendable, Hashable {
        public var record: SubRunRecord
        public var snapshot: RunSnapshot?

        public init(record: SubRunRecord, snapshot: RunSnapshot?) {
            self.record = record
            self.snapshot = snapshot
        }
    }

    /// Every child of every node of a run, in node order (steps in file order, then handlers
    /// `onInit` … `onExit`), each node's children in the order they were started.
    public static func records(of snapshot: RunSnapshot) -> [SubRunRecord] {
        let handlers = RunDTO.handlerKeys.compactMap { snapshot.handlers[$0] }
        return (snapshot.nodes + handlers).flatMap(\.subRuns)
    }

    public static func render(_ children: [Child], zone: TimeZone) -> JSONValue {
        ["subRuns": .array(children.map { detail($0, zone: zone) })]
    }

    /// A child's status and times come from its own snapshot (the truth once it exists); without
    /// one, the status its parent recorded and `""` times.
    public static func detail(_ child: Child, zone: TimeZone) -> JSONValue {
        let status = child.snapshot?.status ?? child.record.status
        var object: JSONObject = [
            "dagRunId": .string(child.record.dagRunId),
            "dagName": .string(child.record.dagName),
        ]
        object["params"] = DTOValue.text(child.record.params ?? child.snapshot?.params)
        object["status"] = .integer(status.rawValue)
        object["statusLabel"] = .string(status.label)
        object["startedAt"] = APITime.required(child.snapshot?.startedAt, in: zone)
        object["finishedAt"] = APITime.required(child.snapshot?.finishedAt, in: zone)
        return .object(object)
    }
}
