import Foundation
import Testing
import TrellisCore

/// Shared helpers of the DTO tests: load YAML into a real ``DAG``, compare JSON exactly.
enum DTOTest {
    static let utc = TimeZone(identifier: "UTC")!
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    /// 2026-05-07T00:08:32Z (= 09:08:32+09:00), with a fraction that must be dropped.
    static let t0 = Date(timeIntervalSince1970: 1_778_112_512.25)

    /// Loads a DAG that must have no errors.
    static func dag(_ yaml: String, file: String = "t.yaml", sourceLocation: SourceLocation = #_sourceLocation) throws -> DAG {
        let result = DAGLoader.load(text: yaml, fileName: file)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))", sourceLocation: sourceLocation)
        return try #require(result.dag, sourceLocation: sourceLocation)
    }

    /// Loads a DAG and returns its only step.
    static func step(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Step {
        let loaded = try dag(yaml, sourceLocation: sourceLocation)
        return try #require(loaded.steps.first, sourceLocation: sourceLocation)
    }

    /// Canonical text: compact, keys sorted.
    static func canonical(_ value: JSONValue) -> String {
        value.serialized(sortedKeys: true)
    }

    /// Expects `value` to be exactly the JSON `expected` (any key order in the text).
    static func expectJSON(_ value: JSONValue?, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let value else {
            Issue.record("value is nil", sourceLocation: sourceLocation)
            return
        }
        do {
            let parsed = try JSONValue.parse(expected)
            #expect(canonical(value) == canonical(parsed), sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected text is not JSON: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The keys of an object value.
    static func keys(_ value: JSONValue?) -> Set<String> {
        Set(value?.objectValue?.keys ?? [])
    }

    static func header(_ name: String = "etl", id: String = "r1", trigger: TriggerType = .manual, params: String = "",
                       labels: [String] = [], parent: RunRef? = nil, root: RunRef? = nil,
                       scheduleTime: Date? = nil) -> RunHeader {
        RunHeader(run: RunRef(name: name, id: id), createdAt: t0, triggerType: trigger, queue: name, params: params,
                  paramsList: [], root: root, parent: parent, scheduleTime: scheduleTime, labels: labels)
    }
}
