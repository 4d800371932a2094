import Foundation
import Synchronization
import Testing
import TrellisCore
@testable import TrellisStore

/// The writers that keep a run's records in order when it passes through its queue again (a
/// queued retry): the retry writes its `queued` attempt and its `enqueue` under the queue's lock,
/// and `done` is appended under that lock only while the run's latest snapshot says it ended.
@Suite("Queued retry: enqueue and slot release under the queue's lock")
struct QueuedRetrySettlingTests {
    /// A ``QueueStore`` over a file store that notes the run's status when `update` is called
    /// and when its decision returns (still under the lock), and can fail after deciding.
    final class ObservingQueueStore: QueueStore {
        struct Seen: Sendable {
            var appends = 0
            var statusBeforeLock: RunStatus?
            var statusAfterDecision: RunStatus?
        }

        let inner: FileQueueStore
        let reader: any RunReader
        let run: RunRef
        let failAfterDecision: Bool
        let seen = Mutex(Seen())

        init(inner: FileQueueStore, reader: any RunReader, run: RunRef, failAfterDecision: Bool = false) {
            self.inner = inner
            self.reader = reader
            self.run = run
            self.failAfterDecision = failAfterDecision
        }

        func append(_ record: QueueRecord, to queue: String) throws(StoreError) {
            seen.withLock { $0.appends += 1 }
            try inner.append(record, to: queue)
        }

        func update<Result>(_ queue: String, _ decide: (QueueState) throws -> (records: [QueueRecord], result: Result)) throws -> Result {
            let before = try reader.latestSnapshot(of: run)?.status
            seen.withLock { $0.statusBeforeLock = before }
            return try inner.update(queue) { state in
                let decision = try decide(state)
                let after = try reader.latestSnapshot(of: run)?.status
                seen.withLock { $0.statusAfterDecision = after }
                if failAfterDecision { throw StoreError(.io, "disk full") }
                return decision
            }
        }

        func state(of queue: String) throws(StoreError) -> QueueState { try inner.state(of: queue) }

        func queueNames() throws(StoreError) -> [String] { try inner.queueNames() }
    }

    static let run = RunRef(name: "etl", id: "r1")

    /// `r1` enqueued on the global queue `shared`, claimed with `t1`, ran and failed.
    static func failedRun(_ setup: RunQueueingTests.Setup) throws -> RunSnapshot {
        let dag = try setup.dag(RunQueueingTests.etl)
        _ = try setup.queueing.enqueue(try setup.request(dag, id: run.id, queue: "shared"))
        try setup.queues.append(QueueRecord(.claim, run, at: setup.clock.now, token: "t1"), to: "shared")
        var snapshot = try #require(try setup.runs.latestSnapshot(of: run))
        snapshot.status = .running
        try setup.runs.append(snapshot, durability: .synced)
        snapshot.status = .failed
        try setup.runs.append(snapshot, durability: .synced)
        return snapshot
    }

    @Test("the retry's queued attempt and its enqueue are written under the queue's lock; its item replaces the claim")
    func enqueueUnderLock() throws {
        let setup = RunQueueingTests.Setup()
        let failed = try Self.failedRun(setup)
        let observing = ObservingQueueStore(inner: setup.queues, reader: setup.runs, run: Self.run)
        let queueing = RunQueueing(reader: setup.runs, writer: setup.runs, queues: observing, globalQueues: [QueueConfig(name: "shared", maxConcurrency: 1)],
                                   now: setup.clock.function)
        let queued = try #require(try queueing.enqueueRetry(of: failed))
        #expect(queued.status == .queued && queued.attemptId != failed.attemptId)
        let seen = observing.seen.withLock { $0 }
        #expect(seen.appends == 0)
        #expect(seen.statusBeforeLock == .failed)
        #expect(seen.statusAfterDecision == .queued)
        let state = try setup.queues.state(of: "shared")
        #expect(state.claimed.isEmpty)
        #expect(state.open.map(\.run) == [Self.run])
        #expect(state.item(Self.run)?.claims == 0)
    }

    @Test("a retry whose enqueue cannot be written ends failed instead of waiting forever")
    func enqueueFails() throws {
        let setup = RunQueueingTests.Setup()
        let failed = try Self.failedRun(setup)
        let observing = ObservingQueueStore(inner: setup.queues, reader: setup.runs, run: Self.run, failAfterDecision: true)
        let queueing = RunQueueing(reader: setup.runs, writer: setup.runs, queues: observing, globalQueues: [QueueConfig(name: "shared", maxConcurrency: 1)],
                                   now: setup.clock.function)
        #expect(throws: QueueingError.self) { try queueing.enqueueRetry(of: failed) }
        let latest = try #require(try setup.runs.latestSnapshot(of: Self.run))
        #expect(latest.status == .failed && latest.attemptId != failed.attemptId)
        #expect(latest.error?.contains("cannot enqueue the retry") == true)
        #expect(try setup.queues.state(of: "shared").item(Self.run)?.phase == .claimed)
    }

    @Test("done is appended while the run has ended, before a retry; never once the retry is queued")
    func releaseSlot() throws {
        // The first attempt's agent frees its slot before the retry: done, then the retry's enqueue.
        let first = RunQueueingTests.Setup()
        let ended = try Self.failedRun(first)
        #expect(try first.queues.releaseSlot(of: Self.run, in: "shared", reader: first.runs, at: first.clock.now))
        _ = try first.queueing.enqueueRetry(of: ended)
        #expect(try first.queues.state(of: "shared").open.map(\.run) == [Self.run])

        // The retry comes first: the late agent appends nothing, and the retry stays queued.
        let late = RunQueueingTests.Setup()
        let failed = try Self.failedRun(late)
        _ = try late.queueing.enqueueRetry(of: failed)
        #expect(try !late.queues.releaseSlot(of: Self.run, in: "shared", reader: late.runs, at: late.clock.now,
                                             onlyWhileQueueHoldsItems: true))
        // Nor while the retry runs.
        var running = try #require(try late.runs.latestSnapshot(of: Self.run))
        running.status = .running
        try late.runs.append(running, durability: .synced)
        #expect(try !late.queues.releaseSlot(of: Self.run, in: "shared", reader: late.runs, at: late.clock.now))
        let ops = try late.queues.state(of: "shared")
        #expect(ops.open.map(\.run) == [Self.run])
        #expect(try String(contentsOfFile: late.queues.path(of: "shared"), encoding: .utf8).contains("\"op\":\"done\"") == false)
    }

    @Test("a direct start's done is appended only while the queue holds items, unless asked otherwise")
    func emptyQueue() throws {
        let setup = RunQueueingTests.Setup()
        let failed = try Self.failedRun(setup)
        try setup.queues.append(QueueRecord(.drop, Self.run, at: setup.clock.now), to: "shared")
        #expect(try !setup.queues.releaseSlot(of: failed.run, in: "shared", reader: setup.runs, at: setup.clock.now,
                                              onlyWhileQueueHoldsItems: true))
        #expect(try setup.queues.releaseSlot(of: failed.run, in: "shared", reader: setup.runs, at: setup.clock.now))
    }
}
