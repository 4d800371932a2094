import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

@Suite("Event line indexing: the flat header scanner and its fallbacks")
struct EventHeaderScannerTests {
    static let entry = EventLogEntry(
        id: "dag_abc", occurredAt: 1_795_930_561_123, recordedAt: 1_795_930_561_124, type: "dag.run.failed", sourceService: "server",
        sourceInstance: "host:7", dagName: "etl", dagRunId: "r1", attemptId: "a1", status: "failed",
        data: ["dag_run_status": ["error": "a \"quoted\"\nerror", "nodes": [["step_name": "s", "status": 2]]]])

    /// The entry without `data`: what the index needs.
    static var header: EventLogEntry {
        var header = entry
        header.data = nil
        return header
    }

    func scan(_ text: String) -> EventLogEntry? {
        Array(text.utf8).withUnsafeBufferPointer { EventHeaderScanner.scan($0) }
    }

    func indexed(_ text: String) -> EventLogEntry? {
        Array(text.utf8).withUnsafeBufferPointer { EventLineIndexer.header($0) }
    }

    @Test("the writer's lines are scanned without the JSON parser, data left out")
    func writerLine() {
        let line = String(Self.entry.line.dropLast())
        #expect(scan(line) == Self.header)
        #expect(indexed(line) == Self.header)
    }

    @Test("other shapes fall back to the parser and give the same fields", arguments: [
        #"{"id": "dag_abc", "schemaVersion": 1, "occurredAt": "2026-11-29T05:36:01.123Z", "recordedAt": "2026-11-29T05:36:01.124Z", "kind": "dag_run", "type": "dag.run.failed", "sourceService": "server", "sourceInstance": "host:7", "dagName": "etl", "dagRunId": "r1", "attemptId": "a1", "status": "failed"}"#,
        #"{"data":{"x":1},"id":"dag_abc","schemaVersion":1,"occurredAt":"2026-11-29T05:36:01.123Z","recordedAt":"2026-11-29T05:36:01.124Z","kind":"dag_run","type":"dag.run.failed","sourceService":"server","sourceInstance":"host:7","dagName":"etl","dagRunId":"r1","attemptId":"a1","status":"failed"}"#,
        #"{"id":"dag_\u0061bc","schemaVersion":1,"occurredAt":"2026-11-29T06:36:01.123+01:00","recordedAt":"2026-11-29T05:36:01.124Z","kind":"dag_run","type":"dag.run.failed","sourceService":"server","sourceInstance":"host:7","dagName":"etl","dagRunId":"r1","attemptId":"a1","status":"failed","extra":[1,2]}"#,
    ])
    func fallbacks(_ line: String) {
        var expected = Self.header
        if line.contains("\"data\"") { expected.data = ["x": 1] }
        #expect(indexed(line) == expected)
    }

    @Test("lines that are not entries give nothing", arguments: [
        "", "{", "{}", "[1]", #"{"id":"x"}"#, #"{"id":"","occurredAt":"2026-11-29T05:36:01Z","recordedAt":"2026-11-29T05:36:01Z","type":"t","sourceService":"cli"}"#,
        #"{"id":"x","occurredAt":"soon","recordedAt":"2026-11-29T05:36:01Z","type":"t","sourceService":"cli"}"#,
    ])
    func notEntries(_ line: String) {
        #expect(indexed(line) == nil)
    }
}
