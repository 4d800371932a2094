import Foundation
import TrellisCore

/// `DAGFile` (API §9.2), the entry of `GET /dags`: `{fileName, filePath, dag: DAG,
/// latestDAGRun: DAGRunSummary, nextRun?, suspended, errors: string[]}`.
public enum DAGFileDTO {
    /// - Parameters:
    ///   - dag: the loaded DAG; `nil` for a file that does not parse (`dag` is then `{name:
    ///     <fileName>}` with the always-present arrays).
    ///   - latestDAGRun: the latest run's rendered `DAGRunSummary` (e.g. cached by the catalog);
    ///     `nil` for a DAG never run: the synthetic `not_started` summary (`dagRunId ""`, `""`
    ///     times).
    public static func render(fileName: String, filePath: String, dag: DAG?, latestDAGRun: JSONValue?, nextRun: Date?,
                              suspended: Bool, errors: [String], zone: TimeZone) -> JSONValue {
        let latest = latestDAGRun ?? RunDTO.notStartedSummary(dag ?? DAG(name: fileName, fileName: fileName), zone: zone)
        var object: JSONObject = [
            "fileName": .string(fileName),
            "filePath": .string(filePath),
            "dag": dag.map { DAGDTO.listItem($0, zone: zone) } ?? DAGDTO.minimalListItem(name: fileName),
            "latestDAGRun": latest,
        ]
        object["nextRun"] = APITime.optional(nextRun, in: zone)
        object["suspended"] = .bool(suspended)
        object["errors"] = DTOValue.strings(errors)
        return .object(object)
    }

    /// As above, with the latest run given as its snapshot (`nil` = never run).
    public static func render(fileName: String, filePath: String, dag: DAG?, latestRun: RunSnapshot?, nextRun: Date?,
                              suspended: Bool, errors: [String], zone: TimeZone) -> JSONValue {
        render(fileName: fileName, filePath: filePath, dag: dag, latestDAGRun: latestRun.map { RunDTO.summary($0, zone: zone) },
               nextRun: nextRun, suspended: suspended, errors: errors, zone: zone)
    }
}
