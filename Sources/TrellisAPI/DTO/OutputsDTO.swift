import Foundation
import TrellisCore

/// The body of `GET /dag-runs/{name}/{dagRunId}/outputs` (API §6.12):
/// `{metadata: {dagName, dagRunId, attemptId, status (label), completedAt, params?},
/// outputs: {<key>: string}}`.
public enum OutputsDTO {
    /// `outputs` are the run's output variables (camelCase keys, in order); `[]` gives `{}`.
    /// `completedAt` is the run's `finishedAt`, `""` while the run is active or unfinished.
    public static func render(_ snapshot: RunSnapshot, outputs: [(String, String)], zone: TimeZone) -> JSONValue {
        var metadata: JSONObject = [
            "dagName": .string(snapshot.run.name),
            "dagRunId": .string(snapshot.run.id),
            "attemptId": .string(snapshot.attemptId),
            "status": .string(snapshot.status.label),
            "completedAt": APITime.required(snapshot.status.isActive ? nil : snapshot.finishedAt, in: zone),
        ]
        metadata["params"] = DTOValue.text(snapshot.params)
        let values = JSONObject(outputs.map { ($0.0, JSONValue.string($0.1)) })
        return ["metadata": .object(metadata), "outputs": .object(values)]
    }

    /// As above, from the parsed `outputs.json` (an object; `nil` or anything else counts as
    /// empty). Non-string values are shown as their text (`42`, compact JSON for objects).
    public static func render(_ snapshot: RunSnapshot, outputsFile: JSONValue?, zone: TimeZone) -> JSONValue {
        let pairs = outputsFile?.objectValue?.entries.map { ($0.key, $0.value.plainText) } ?? []
        return render(snapshot, outputs: pairs, zone: zone)
    }
}
