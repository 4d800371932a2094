import Foundation
import Testing
import TrellisCore

/// The fold of queue records (format §14.5): phases, FIFO order, priorities, removal.
@Suite("Queue state fold")
struct QueueStateTests {
    static let t0 = StoreFixtures.epoch

    static func record(_ op: QueueRecord.Op, _ id: String, dag: String = "d", at seconds: TimeInterval = 0,
                       priority: QueuePriority? = nil, token: String? = nil) -> QueueRecord {
        QueueRecord(op: op, dag: dag, runId: id, at: t0.addingTimeInterval(seconds), priority: priority, token: token)
    }

    static func ids(_ items: [QueueState.Item]) -> [String] { items.map(\.run.id) }

    @Test("enqueue keeps FIFO order; claim, start and the removing records move items through their phases")
    func phases() {
        let state = QueueState(folding: [
            Self.record(.enqueue, "a", at: 1), Self.record(.enqueue, "b", at: 2), Self.record(.enqueue, "c", at: 3),
            Self.record(.enqueue, "d", at: 4), Self.record(.enqueue, "e", at: 5),
            Self.record(.claim, "a", at: 6), Self.record(.claim, "b", at: 7), Self.record(.start, "a", at: 8),
            Self.record(.dequeue, "c", at: 9), Self.record(.drop, "b", at: 10),
        ])
        #expect(Self.ids(state.open) == ["d", "e"])
        #expect(Self.ids(state.claimed) == [])
        #expect(Self.ids(state.running) == ["a"])
        #expect(state.count == 3)
        let a = state.item(RunRef(name: "d", id: "a"))
        #expect(a?.phase == .running)
        #expect(a?.enqueuedAt == Self.t0.addingTimeInterval(1))
        #expect(a?.since == Self.t0.addingTimeInterval(8))
        #expect(state.item(RunRef(name: "d", id: "c")) == nil)
        let done = state.applying([Self.record(.done, "a", at: 11)])
        #expect(Self.ids(done.running) == [])
        #expect(done.count == 2)
    }

    @Test("a direct start occupies a slot without an enqueue; done frees it")
    func directStart() {
        var state = QueueState()
        state.apply(Self.record(.start, "x", at: 1))
        #expect(Self.ids(state.running) == ["x"])
        #expect(state.item(RunRef(name: "d", id: "x"))?.enqueuedAt == nil)
        state.apply(Self.record(.done, "x", at: 2))
        #expect(state.isEmpty)
    }

    @Test("duplicate enqueue keeps the first place; claim of a running run does not move it back")
    func idempotence() {
        let state = QueueState(folding: [
            Self.record(.enqueue, "a", at: 1), Self.record(.enqueue, "b", at: 2), Self.record(.enqueue, "a", at: 3),
            Self.record(.enqueue, "r", at: 4), Self.record(.start, "r", at: 5), Self.record(.claim, "r", at: 6),
        ])
        #expect(Self.ids(state.open) == ["a", "b"])
        #expect(state.item(RunRef(name: "d", id: "a"))?.enqueuedAt == Self.t0.addingTimeInterval(1))
        #expect(Self.ids(state.running) == ["r"])
    }

    @Test("an enqueue after a run's claim or start is a new attempt (a queued retry): open at the tail, unclaimed")
    func retryEnqueue() {
        let state = QueueState(folding: [
            Self.record(.enqueue, "a", at: 1), Self.record(.claim, "a", at: 2, token: "t1"), Self.record(.reopen, "a", at: 3),
            Self.record(.claim, "a", at: 4, token: "t2"), Self.record(.enqueue, "b", at: 5), Self.record(.start, "r", at: 6),
            Self.record(.enqueue, "a", at: 7), Self.record(.enqueue, "r", at: 8),
        ])
        #expect(Self.ids(state.open) == ["b", "a", "r"])
        #expect(state.claimed.isEmpty && state.running.isEmpty)
        let a = state.item(RunRef(name: "d", id: "a"))
        #expect(a?.token == nil && a?.claims == 0 && a?.enqueuedAt == Self.t0.addingTimeInterval(7))
        #expect(QueueState(folding: state.records) == state)
    }

    @Test("a run enqueued again after it finished is queued again, at the tail")
    func reEnqueue() {
        let state = QueueState(folding: [
            Self.record(.enqueue, "a", at: 1), Self.record(.enqueue, "b", at: 2), Self.record(.claim, "a", at: 3),
            Self.record(.start, "a", at: 4), Self.record(.done, "a", at: 5), Self.record(.enqueue, "a", at: 6),
        ])
        #expect(Self.ids(state.open) == ["b", "a"])
    }

    @Test("high priority before low, FIFO within each; runs of different DAGs with one ID are distinct")
    func priorities() {
        let state = QueueState(folding: [
            Self.record(.enqueue, "l1", at: 1, priority: .low), Self.record(.enqueue, "h1", at: 2, priority: .high),
            Self.record(.enqueue, "l2", at: 3), Self.record(.enqueue, "h2", at: 4, priority: .high),
            Self.record(.enqueue, "same", dag: "x", at: 5), Self.record(.enqueue, "same", dag: "y", at: 6),
        ])
        #expect(Self.ids(state.open) == ["h1", "h2", "l1", "l2", "same", "same"])
        #expect(state.open.suffix(2).map(\.run.name) == ["x", "y"])
    }

    @Test("records rebuild the same state: items, phases, order, times")
    func recordsRoundTrip() {
        let state = QueueState(folding: [
            Self.record(.enqueue, "a", at: 1), Self.record(.start, "direct", at: 2), Self.record(.enqueue, "b", at: 3, priority: .high),
            Self.record(.enqueue, "c", at: 4), Self.record(.claim, "a", at: 5), Self.record(.claim, "lost", at: 6),
            Self.record(.enqueue, "z", at: 7), Self.record(.dequeue, "c", at: 8), Self.record(.enqueue, "c", at: 9),
        ])
        let rebuilt = QueueState(folding: state.records)
        #expect(rebuilt == state)
        #expect(Self.ids(rebuilt.open) == ["b", "z", "c"])
        #expect(Self.ids(rebuilt.claimed) == ["a", "lost"])
        #expect(rebuilt.open.map(\.enqueuedAt) == state.open.map(\.enqueuedAt))
        #expect(rebuilt.claimed.map(\.since) == state.claimed.map(\.since))
        #expect(state.records.count == 7)
    }

    @Test("claim tokens and reopen: a reopened item is open in its old place, without a token, its claims counted")
    func reopen() {
        var state = QueueState(folding: [
            Self.record(.enqueue, "a", at: 1), Self.record(.enqueue, "b", at: 2), Self.record(.claim, "a", at: 3, token: "t1"),
        ])
        let a = RunRef(name: "d", id: "a")
        #expect(state.item(a)?.token == "t1")
        #expect(state.item(a)?.claims == 1)
        state.apply(Self.record(.reopen, "a", at: 4))
        #expect(Self.ids(state.open) == ["a", "b"])
        #expect(state.item(a)?.token == nil)
        #expect(state.item(a)?.since == Self.t0.addingTimeInterval(4))
        #expect(state.item(a)?.claims == 1)
        state.apply(Self.record(.claim, "a", at: 5, token: "t2"))
        #expect(state.item(a)?.phase == .claimed && state.item(a)?.token == "t2" && state.item(a)?.claims == 2)
        // A reopen of an item that is not claimed changes nothing; a claim of a claimed item neither.
        let unchanged = state.applying([Self.record(.reopen, "b", at: 6), Self.record(.claim, "a", at: 7, token: "t3"),
                                        Self.record(.reopen, "nobody", at: 8)])
        #expect(unchanged == state)
        #expect(unchanged.item(a)?.token == "t2")
        // Removal and a new enqueue start the count again.
        let again = state.applying([Self.record(.drop, "a", at: 9), Self.record(.enqueue, "a", at: 10)])
        #expect(again.item(a)?.claims == 0)
    }

    @Test("records rebuild tokens and claim counts of open, claimed and direct-claimed items")
    func recordsRoundTripWithClaims() {
        let state = QueueState(folding: [
            Self.record(.enqueue, "a", at: 1), Self.record(.claim, "a", at: 2, token: "t1"), Self.record(.reopen, "a", at: 3),
            Self.record(.claim, "a", at: 4, token: "t2"),
            Self.record(.enqueue, "b", at: 5, priority: .high), Self.record(.claim, "b", at: 6, token: "u1"),
            Self.record(.reopen, "b", at: 7),
            Self.record(.claim, "lost", at: 8, priority: .high), Self.record(.reopen, "lost", at: 9),
            Self.record(.claim, "c", at: 10, token: "v1"), Self.record(.enqueue, "z", at: 11),
        ])
        let rebuilt = QueueState(folding: state.records)
        #expect(rebuilt == state)
        for id in ["a", "b", "lost", "c", "z"] {
            let run = RunRef(name: "d", id: id)
            #expect(rebuilt.item(run) == state.item(run), "\(id)")
        }
        #expect(Self.ids(rebuilt.open) == ["b", "lost", "z"])
        #expect(rebuilt.item(RunRef(name: "d", id: "a"))?.claims == 2)
        #expect(rebuilt.item(RunRef(name: "d", id: "lost"))?.priority == .high)
    }

    @Test("records encode with the field names of the queue file")
    func encoding() throws {
        let record = QueueRecord(op: .drop, dag: "etl", runId: "r1", at: Self.t0, error: "spawn failed")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let text = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(text == #"{"at":"2026-11-29T12:00:00Z","dag":"etl","error":"spawn failed","op":"drop","runId":"r1"}"#)
        let claim = QueueRecord(op: .claim, dag: "etl", runId: "r1", at: Self.t0, token: "00ab")
        #expect(String(decoding: try encoder.encode(claim), as: UTF8.self)
            == #"{"at":"2026-11-29T12:00:00Z","dag":"etl","op":"claim","runId":"r1","token":"00ab"}"#)
        // A claim written before claims had tokens still reads: it has none.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let old = try decoder.decode(QueueRecord.self, from: Data(#"{"at":"2026-11-29T12:00:00Z","dag":"etl","op":"claim","runId":"r1"}"#.utf8))
        #expect(old.token == nil && old.op == .claim)
    }
}
