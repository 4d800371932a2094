import Foundation
import Testing
@testable import TrellisCore

@Suite("Snapshot encoder")
struct SnapshotEncoderTests {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Timestamps.parse(text) else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: text)) }
            return date
        }
        return decoder
    }

    /// Every field set, odd characters in strings, so a field the encoder forgets fails here.
    static func full() -> RunSnapshot {
        let at = Date(timeIntervalSince1970: 1_764_387_875.625)
        let header = RunHeader(run: RunRef(name: "etl", id: "r-1"), createdAt: at, triggerType: .scheduler, queue: "q",
                               params: "A=\"x y\"", paramsList: ["A=x y"], root: RunRef(name: "root", id: "r0"),
                               parent: RunRef(name: "p", id: "pp"), scheduleTime: at, labels: ["team=data", "b"])
        var node = NodeRecord(name: "step \"one\"\n\t\\", status: .partiallySucceeded)
        node.startedAt = at; node.finishedAt = at.addingTimeInterval(1.5); node.retriedAt = at
        node.retryCount = 2; node.doneCount = 3; node.exitCode = 124; node.error = "é ünïcode ✓ \u{1}"
        node.stdout = "/a/b.out"; node.stderr = "/a/b.err"; node.pgid = 4242; node.outputMatched = true
        node.outputName = "OUT"; node.outputValue = "{\"k\": [1, 2]}"
        node.subRuns = [SubRunRecord(dagRunId: "c1", dagName: "child", params: "X=1", status: .failed),
                        SubRunRecord(dagRunId: "c2", dagName: "child", params: nil, status: .succeeded)]
        var condition = ConditionRecord(Condition(condition: "test -f x", expected: "re:^a$", negate: true))
        condition.error = "boom"; condition.matched = false
        var snapshot = RunSnapshot(header: header, attemptId: "att", status: .running, log: "/r/run.log",
                                   nodes: [node, NodeRecord(name: "plain")], handlers: ["onExit": NodeRecord(name: "onExit", status: .skipped)],
                                   preconditions: [condition])
        snapshot.queuedAt = at; snapshot.startedAt = at; snapshot.finishedAt = at; snapshot.error = "run error"
        snapshot.pid = 99; snapshot.sid = 98
        return snapshot
    }

    @Test("the encoded line decodes back to an equal snapshot, every field included")
    func roundTrip() throws {
        let snapshot = Self.full()
        let bytes = SnapshotEncoder().line(snapshot)
        #expect(bytes.last == UInt8(ascii: "\n"))
        let decoded = try Self.decoder().decode(RunSnapshot.self, from: Data(bytes.dropLast()))
        #expect(decoded == snapshot)
    }

    @Test("the line has every key JSONEncoder writes, and no other")
    func sameKeysAsCodable() throws {
        let snapshot = Self.full()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamps.rfc3339(date))
        }
        let reference = try JSONSerialization.jsonObject(with: encoder.encode(snapshot)) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: Data(SnapshotEncoder().line(snapshot))) as? NSDictionary
        #expect(ours == reference)
    }

    @Test("cached nodes are reused only while unchanged")
    func cache() throws {
        let encoder = SnapshotEncoder()
        var snapshot = Self.full()
        _ = encoder.line(snapshot)
        snapshot.nodes[1].status = .succeeded
        let decoded = try Self.decoder().decode(RunSnapshot.self, from: Data(encoder.line(snapshot).dropLast()))
        #expect(decoded.nodes[1].status == .succeeded)
        #expect(decoded == snapshot)
    }

    @Test("timestamps are RFC 3339 UTC with milliseconds and parse back",
          arguments: [
              (0.0, "1970-01-01T00:00:00.000Z"),
              (1_764_387_875.625, "2025-11-29T03:44:35.625Z"),
              (951_782_400.5, "2000-02-29T00:00:00.500Z"),
              (-1.5, "1969-12-31T23:59:58.500Z"),
              (4_102_444_799.0, "2099-12-31T23:59:59.000Z"),
          ])
    func timestamps(seconds: Double, text: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(FastTimestamp.utcMillis(date) == text)
        #expect(Timestamps.parse(text) == date)
    }
}

@Suite("Timestamp round trip")
struct TimestampRoundTripTests {
    @Test("a parsed millisecond time formats back to the same text", arguments: ["2025-11-29T03:44:35.863Z", "2026-01-01T00:00:00.999Z", "2026-05-07T09:08:32.001Z"])
    func stable(text: String) throws {
        let date = try #require(Timestamps.parse(text))
        #expect(Timestamps.rfc3339(date) == text)
    }
}
