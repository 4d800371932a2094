import Foundation
import Testing
@testable import TrellisCore

@Suite("Run status, node status and trigger type codes (§11)")
struct StatusCodeTests {
    static let runRows: [(Int, String, RunStatus)] = [
        (0, "not_started", .notStarted), (1, "running", .running), (2, "failed", .failed),
        (3, "aborted", .aborted), (4, "succeeded", .succeeded), (5, "queued", .queued),
        (6, "partially_succeeded", .partiallySucceeded), (7, "waiting", .waiting), (8, "rejected", .rejected),
    ]

    static let nodeRows: [(Int, String, NodeStatus)] = [
        (0, "not_started", .notStarted), (1, "running", .running), (2, "failed", .failed),
        (3, "aborted", .aborted), (4, "succeeded", .succeeded), (5, "skipped", .skipped),
        (6, "partially_succeeded", .partiallySucceeded), (7, "waiting", .waiting), (8, "rejected", .rejected),
        (9, "retrying", .retrying),
    ]

    static let triggerRows: [(Int, String, TriggerType)] = [
        (0, "unknown", .unknown), (1, "scheduler", .scheduler), (2, "manual", .manual), (3, "webhook", .webhook),
        (4, "subdag", .subdag), (5, "retry", .retry), (6, "catchup", .catchup),
    ]

    @Test("run status integer and label", arguments: runRows)
    func runStatus(raw: Int, label: String, status: RunStatus) {
        #expect(status.rawValue == raw)
        #expect(status.label == label)
        #expect(status.description == label)
        #expect(RunStatus(rawValue: raw) == status)
        #expect(RunStatus(label: label) == status)
        #expect(RunStatus.label(forRawValue: raw) == label)
    }

    @Test("node status integer and label", arguments: nodeRows)
    func nodeStatus(raw: Int, label: String, status: NodeStatus) {
        #expect(status.rawValue == raw)
        #expect(status.label == label)
        #expect(NodeStatus(rawValue: raw) == status)
        #expect(NodeStatus(label: label) == status)
        #expect(NodeStatus.label(forRawValue: raw) == label)
    }

    @Test("trigger type integer and label", arguments: triggerRows)
    func triggerType(raw: Int, label: String, type: TriggerType) {
        #expect(type.rawValue == raw)
        #expect(type.label == label)
        #expect(TriggerType(rawValue: raw) == type)
        #expect(TriggerType(label: label) == type)
        #expect(TriggerType.label(forRawValue: raw) == label)
    }

    @Test("the tables list every case and nothing else")
    func exhaustive() {
        #expect(RunStatus.allCases.count == Self.runRows.count)
        #expect(NodeStatus.allCases.count == Self.nodeRows.count)
        #expect(TriggerType.allCases.count == Self.triggerRows.count)
    }

    @Test("an unknown run status integer is labelled unknown", arguments: [-1, 9, 10, 99, Int.max, Int.min])
    func unknownRunStatus(raw: Int) {
        #expect(RunStatus(rawValue: raw) == nil)
        #expect(RunStatus.label(forRawValue: raw) == "unknown")
    }

    @Test("an unknown node status integer is labelled unknown", arguments: [-1, 10, 99, Int.max])
    func unknownNodeStatus(raw: Int) {
        #expect(NodeStatus(rawValue: raw) == nil)
        #expect(NodeStatus.label(forRawValue: raw) == "unknown")
    }

    @Test("an unknown trigger type integer is labelled unknown", arguments: [-1, 7, 99])
    func unknownTriggerType(raw: Int) {
        #expect(TriggerType(rawValue: raw) == nil)
        #expect(TriggerType.label(forRawValue: raw) == "unknown")
    }

    @Test("an unknown label parses to nothing", arguments: ["unknown", "", "Running", "partially-succeeded", "success"])
    func unknownLabels(label: String) {
        #expect(RunStatus(label: label) == nil)
        #expect(NodeStatus(label: label) == nil)
    }

    @Test("active, successful and done sets")
    func classification() {
        #expect(Set(RunStatus.allCases.filter(\.isActive).map(\.rawValue)) == [1, 5, 7])
        #expect(Set(RunStatus.allCases.filter(\.isSuccessful).map(\.rawValue)) == [4, 6])
        #expect(Set(NodeStatus.allCases.filter(\.isDone).map(\.rawValue)) == [2, 3, 4, 5, 6, 8])
        #expect(Set(NodeStatus.allCases.filter(\.isSuccessful).map(\.rawValue)) == [4, 6])
        #expect(Set(NodeStatus.allCases.filter(\.isInFlight).map(\.rawValue)) == [1, 9])
    }

    @Test("statuses encode and decode as integers")
    func codable() throws {
        let encoded = try JSONEncoder().encode([RunStatus.partiallySucceeded, .queued])
        #expect(String(decoding: encoded, as: UTF8.self) == "[6,5]")
        #expect(String(decoding: try JSONEncoder().encode([NodeStatus.retrying]), as: UTF8.self) == "[9]")
        #expect(String(decoding: try JSONEncoder().encode([TriggerType.retry]), as: UTF8.self) == "[5]")
        #expect(try JSONDecoder().decode([RunStatus].self, from: Data("[7,0]".utf8)) == [.waiting, .notStarted])
        #expect(try JSONDecoder().decode([NodeStatus].self, from: Data("[5]".utf8)) == [.skipped])
        #expect(try JSONDecoder().decode([TriggerType].self, from: Data("[4]".utf8)) == [.subdag])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([RunStatus].self, from: Data("[42]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([NodeStatus].self, from: Data("[\"failed\"]".utf8)) }
    }
}
