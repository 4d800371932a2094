import Foundation
import Synchronization
import Testing
import TrellisCore
@testable import TrellisStore

/// Appends from several writers, each with its own store instance (as separate processes have),
/// interleave as whole lines.
@Suite("Concurrent appends")
struct ConcurrentAppendTests {
    @Test("4 writers × 250 snapshots: no corrupt line, none lost")
    func fourWriters() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let run = try harness.create("busy", "r1").run
        let base = try #require(try store.latestSnapshot(of: run))
        let perWriter = 250
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            let own = FileRunStore(dataDirectory: store.dataDirectory, now: clock.function, logger: StoreFixtures.quietLogger)
            var snapshot = base
            snapshot.status = .running
            for index in 0..<perWriter {
                snapshot.nodes[0].outputValue = "writer \(writer) line \(index) " + String(repeating: "x", count: index % 97)
                snapshot.nodes[0].retryCount = writer
                snapshot.nodes[0].doneCount = index
                do {
                    try own.append(snapshot, durability: index % 50 == 0 ? .synced : .batched)
                } catch {
                    failures.add("\(error)")
                }
            }
            do { try own.flush() } catch { failures.add("\(error)") }
        }
        #expect(failures.all.isEmpty)
        let runDirectory = store.paths(of: run, attemptId: "").runDirectory
        let path = try #require(try AttemptFolder.latest(in: runDirectory)).statusPath
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 + 4 * perWriter)
        let decoded = lines.compactMap { StoreJSON.decodeLine(RunSnapshot.self, Data($0.utf8)) }
        #expect(decoded.count == lines.count)
        for writer in 0..<4 {
            let order = decoded.filter { $0.nodes[0].retryCount == writer && $0.status == .running }.map(\.nodes[0].doneCount)
            #expect(order == Array(0..<perWriter), "writer \(writer) appended in order")
        }
        let day = UTCDay.day(StoreFixtures.epoch)
        #expect(try DayIndex.fold(fileAt: store.layout.dagIndexPath(dag: "busy", day: day)).map(\.status) == [.running])
    }
}

/// Errors collected from worker threads.
final class Failures: Sendable {
    private let messages = Mutex<[String]>([])
    func add(_ message: String) { messages.withLock { $0.append(message) } }
    var all: [String] { messages.withLock { $0 } }
}

/// The background flusher (§17.1) syncs what batched appends left dirty, coalescing per file.
@Suite("Batched fsync")
struct FsyncBatcherTests {
    @Test("dirty files are synced by the timer without a flush")
    func timerSyncs() throws {
        let directory = TemporaryDirectory()
        let passes = DispatchSemaphore(value: 0)
        let batcher = FsyncBatcher(interval: .milliseconds(10), logger: StoreFixtures.quietLogger) { passes.signal() }
        defer { batcher.close() }
        let path = directory.path + "/x.jsonl"
        for _ in 0..<3 {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            _ = write(fd, "{}\n", 3)
            batcher.adopt(fd, path: path)
        }
        #expect(batcher.pendingCount == 1, "appends to one file coalesce")
        while batcher.pendingCount > 0 {
            try #require(passes.wait(timeout: .now() + 5) == .success, "the flusher runs")
        }
        batcher.close()
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        batcher.adopt(fd, path: path)
        #expect(batcher.pendingCount == 0, "after close, adoption syncs at once")
    }
}
