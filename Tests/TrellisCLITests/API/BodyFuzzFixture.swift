import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// What one operation of the body fuzz works on: the DAG, run and step of its path, and the
/// names and run IDs its base body uses (the DAGs are made by `APIBodyFuzzTests`).
struct BodyFuzzFixture {
    var path: [String: String]
    /// Field values of the base body; other fields get a value by name or type.
    var values: [String: JSONValue]

    /// The fixture of `operation`; an operation this table does not know works on
    /// `fz-generic` and a finished run, with a body built from its schema alone.
    static func of(_ operation: BodyFuzzOperation, dataDirectory: String) -> BodyFuzzFixture {
        let start: [String: JSONValue] = ["params": "A=1", "singleton": true, "labels": ["fuzz"]]
        func merged(_ extra: [String: JSONValue]) -> [String: JSONValue] { start.merging(extra) { $1 } }
        switch operation.method + " " + operation.template {
        case "POST /dags": return BodyFuzzFixture(path: [:], values: ["name": "fz-created"])
        case "POST /dags/validate": return BodyFuzzFixture(path: [:], values: ["name": "fz-validated"])
        case "PUT /dags/{fileName}/spec": return BodyFuzzFixture(path: ["fileName": "fz-spec"], values: [:])
        case "POST /dags/{fileName}/start":
            return BodyFuzzFixture(path: ["fileName": "fz-start"], values: merged(["dagRunId": "fz-start-1"]))
        case "POST /dags/{fileName}/start-sync":
            return BodyFuzzFixture(path: ["fileName": "fz-sync"], values: merged(["dagRunId": "fz-sync-1", "timeout": 30]))
        case "POST /dags/{fileName}/enqueue":
            return BodyFuzzFixture(path: ["fileName": "fz-enqueue"], values: merged(["dagRunId": "fz-enqueue-1", "queue": "fz-enqueue"]))
        case "POST /dags/{fileName}/suspend": return BodyFuzzFixture(path: ["fileName": "fz-suspend"], values: ["suspend": true])
        case "POST /dags/{fileName}/rename": return BodyFuzzFixture(path: ["fileName": "fz-rename"], values: ["newFileName": "fz-taken"])
        case "POST /dag-runs":
            // The inline DAG holds like fz-start: its marker is its own.
            let spec = "name: fz-inline\n" + APIBodyFuzzTests.holding("inline", data: dataDirectory)
            return BodyFuzzFixture(path: [:], values: merged(["name": "fz-inline", "dagRunId": "fz-inline-1", "spec": .string(spec)]))
        case "POST /dag-runs/enqueue":
            return BodyFuzzFixture(path: [:], values: merged(["name": "fz-inline-q", "dagRunId": "fz-inline-q-1", "queue": "fz-inline-q"]))
        case "POST /dag-runs/{name}/{dagRunId}/retry":
            return BodyFuzzFixture(path: ["name": "fz-retry", "dagRunId": "fz-retry-1"], values: ["dagRunId": "fz-retry-1", "stepName": "a"])
        case "PATCH /dag-runs/{name}/{dagRunId}/steps/{stepName}/status":
            return BodyFuzzFixture(path: ["name": "fz-patch", "dagRunId": "fz-patch-1", "stepName": "a"], values: ["status": 4])
        default:
            return BodyFuzzFixture(path: ["fileName": "fz-generic", "name": "fz-patch", "dagRunId": "fz-patch-1", "stepName": "a"], values: [:])
        }
    }

    /// The base body: each field with its fixture value, a DAG text for `spec`, and for the
    /// other required fields a plausible value of their type.
    func base(_ operation: BodyFuzzOperation) -> BodyFuzzObject {
        var members: [(String, JSONValue)] = []
        for field in operation.fields {
            if let value = values[field.name] {
                members.append((field.name, value))
            } else if field.name == "spec" {
                members.append((field.name, .string(BodyFuzzSpecs.quick)))
            } else if field.required {
                switch field.type {
                case "integer": members.append((field.name, .integer(field.minimum ?? 1)))
                case "number": members.append((field.name, .number(1)))
                case "boolean": members.append((field.name, .bool(true)))
                case "array": members.append((field.name, .array([])))
                case "object": members.append((field.name, .object(JSONObject())))
                default: members.append((field.name, .string("fz-value")))
                }
            }
        }
        return BodyFuzzObject(members)
    }
}

/// A canary file with a secret next to the home (its access time set in the past, so that a
/// read shows under `relatime`) and an empty sentinel folder.
struct BodyFuzzCanary {
    let targets: BodyFuzzTargets
    let secret: String
    let before: stat

    init(_ targets: BodyFuzzTargets) throws {
        self.targets = targets
        secret = "fz-secret-" + UUID().uuidString
        try Data(secret.utf8).write(to: URL(fileURLWithPath: targets.canaryPath))
        try FileManager.default.createDirectory(atPath: targets.sentinelPath, withIntermediateDirectories: true)
        let past = timeval(tv_sec: time(nil) - 3 * 86_400, tv_usec: 0)
        _ = [past, past].withUnsafeBufferPointer { utimes(targets.canaryPath, $0.baseAddress) }
        var info = stat()
        stat(targets.canaryPath, &info)
        before = info
    }

    /// What changed: the canary's bytes, access or modification time, the sentinel's content.
    func problems() -> [String] {
        var problems: [String] = []
        var after = stat()
        stat(targets.canaryPath, &after)
        if after.st_atim.tv_sec != before.st_atim.tv_sec { problems.append("the canary was read (atime changed)") }
        if after.st_mtim.tv_sec != before.st_mtim.tv_sec { problems.append("the canary was modified") }
        if FileManager.default.contents(atPath: targets.canaryPath) != Data(secret.utf8) { problems.append("the canary's bytes changed") }
        let inside = (try? FileManager.default.contentsOfDirectory(atPath: targets.sentinelPath)) ?? ["(gone)"]
        if !inside.isEmpty { problems.append("the sentinel folder holds \(inside)") }
        return problems
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: targets.canaryPath)
        try? FileManager.default.removeItem(atPath: targets.sentinelPath)
    }
}
