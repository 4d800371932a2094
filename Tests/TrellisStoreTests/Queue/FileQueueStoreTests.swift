import Foundation
import Synchronization
import Testing
import TrellisCore
@testable import TrellisStore

/// `data/queues/<queue>.jsonl` (format §14.5): locked, fsynced appends; torn records; several
/// writers; compaction.
@Suite("File queue store")
struct FileQueueStoreTests {
    static func store(_ directory: TemporaryDirectory, threshold: Int64 = 1 << 20) -> FileQueueStore {
        FileQueueStore(dataDirectory: directory.path + "/data", compactionThreshold: threshold, logger: StoreFixtures.quietLogger)
    }

    static func record(_ op: QueueRecord.Op, _ id: String, at seconds: TimeInterval = 0) -> QueueRecord {
        QueueStateTests.record(op, id, at: seconds)
    }

    @Test("appends land in data/queues/<queue>.jsonl, one record per line; state folds them; names are listed")
    func appendAndRead() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(directory)
        #expect(try store.state(of: "q").isEmpty)
        #expect(try store.queueNames() == [])
        try store.append(Self.record(.enqueue, "a", at: 1), to: "q")
        try store.append(Self.record(.enqueue, "b", at: 2), to: "q")
        try store.append(Self.record(.claim, "a", at: 3), to: "q")
        try store.append(Self.record(.enqueue, "x"), to: "other")
        let path = directory.path + "/data/queues/q.jsonl"
        #expect(try store.path(of: "q") == path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == #"{"at":"2026-11-29T12:00:01.000Z","dag":"d","op":"enqueue","runId":"a"}"#)
        let state = try store.state(of: "q")
        #expect(QueueStateTests.ids(state.open) == ["b"])
        #expect(QueueStateTests.ids(state.claimed) == ["a"])
        #expect(try store.queueNames() == ["other", "q"])
        // A second instance (another process) sees the same.
        #expect(try Self.store(directory).state(of: "q") == state)
        expectStoreError(.invalid) { _ = try store.state(of: "../x") }
        expectStoreError(.invalid) { try store.append(Self.record(.enqueue, "a"), to: ".hidden") }
    }

    @Test("update decides under the lock and appends what it returns; a throwing decision appends nothing")
    func update() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(directory)
        try store.append(Self.record(.enqueue, "a"), to: "q")
        try store.append(Self.record(.enqueue, "b"), to: "q")
        let claimed = try store.update("q") { state in
            let head = state.open[0]
            return ([QueueRecord(.claim, head.run, at: StoreFixtures.epoch)], head.run.id)
        }
        #expect(claimed == "a")
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try store.update("q") { _ -> (records: [QueueRecord], result: Void) in throw Refused() }
        }
        let nothing: Int = try store.update("q") { state in ([], state.count) }
        #expect(nothing == 2)
        let state = try store.state(of: "q")
        #expect(QueueStateTests.ids(state.claimed) == ["a"])
        #expect(QueueStateTests.ids(state.open) == ["b"])
    }

    @Test("a torn last record at every byte offset: readers see the state before it; the next writer cuts it")
    func tornLastRecord() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(directory)
        try store.append(Self.record(.enqueue, "a", at: 1), to: "q")
        try store.append(Self.record(.enqueue, "b", at: 2), to: "q")
        let path = try store.path(of: "q")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let expected = try store.state(of: "q")
        try store.append(Self.record(.claim, "a", at: 3), to: "q")
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        let lastLength = full.count - before.count
        #expect(lastLength > 40)
        let next = Self.record(.enqueue, "c", at: 4)
        for cut in 1..<lastLength {
            let torn = full.prefix(before.count + cut)
            try torn.write(to: URL(fileURLWithPath: path))
            #expect(try store.state(of: "q") == expected, "torn after \(cut) bytes: readers ignore the partial record")
            try store.append(next, to: "q")
            let repaired = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(repaired.prefix(before.count) == before, "cut \(cut)")
            #expect(repaired.count == before.count + (try StoreJSON.line(next, path: path)).count, "cut \(cut): the torn bytes are gone")
            #expect(QueueStateTests.ids(try store.state(of: "q").open) == ["a", "b", "c"], "cut \(cut)")
        }
        // Even a torn record that parses (everything but its newline) does not count.
        try full.dropLast().write(to: URL(fileURLWithPath: path))
        #expect(try store.state(of: "q") == expected)
    }

    @Test("4 writers × 100 appends, each with its own store: whole lines, none lost, each writer's in order")
    func concurrentAppends() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(directory)
        let failures = Failures()
        let perWriter = 100
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            let own = Self.store(directory)
            for index in 0..<perWriter {
                let record = QueueRecord(op: .enqueue, dag: "w\(writer)", runId: "r\(index)", at: StoreFixtures.epoch)
                do { try own.append(record, to: "busy") } catch { failures.add("\(error)") }
            }
        }
        #expect(failures.all.isEmpty)
        let text = try String(contentsOfFile: try store.path(of: "busy"), encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4 * perWriter)
        #expect(LineScanner.records(QueueRecord.self, in: Data(text.utf8)).count == lines.count)
        let open = try store.state(of: "busy").open
        for writer in 0..<4 {
            #expect(open.filter { $0.run.name == "w\(writer)" }.map(\.run.id) == (0..<perWriter).map { "r\($0)" })
        }
    }

    @Test("concurrent updates are serialized: 4 dispatchers claiming the head never claim one item twice")
    func concurrentClaims() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(directory)
        for index in 0..<60 { try store.append(Self.record(.enqueue, "r\(index)"), to: "q") }
        let claims = Mutex<[String]>([])
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let own = Self.store(directory)
            while true {
                do {
                    let claimed: String? = try own.update("q") { state in
                        guard let head = state.open.first else { return ([], nil) }
                        return ([QueueRecord(.claim, head.run, at: StoreFixtures.epoch)], head.run.id)
                    }
                    guard let claimed else { return }
                    claims.withLock { $0.append(claimed) }
                } catch {
                    failures.add("\(error)")
                    return
                }
            }
        }
        #expect(failures.all.isEmpty)
        let all = claims.withLock { $0 }
        #expect(all.count == 60)
        #expect(Set(all).count == 60)
        #expect(QueueStateTests.ids(try store.state(of: "q").claimed) == (0..<60).map { "r\($0)" })
    }

    @Test("compaction past the threshold keeps the open items in order and the other phases")
    func compaction() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(directory, threshold: 8 * 1024)
        let path = try store.path(of: "q")
        var expectedOpen: [String] = []
        for index in 0..<200 {
            try store.append(Self.record(.enqueue, "r\(index)", at: Double(index)), to: "q")
            if index % 20 == 7 {
                expectedOpen.append("r\(index)")
            } else if index == 3 {
                try store.append(Self.record(.claim, "r\(index)", at: Double(index)), to: "q")
            } else if index == 4 {
                try store.append(Self.record(.start, "r\(index)", at: Double(index)), to: "q")
            } else {
                try store.append(Self.record(index % 2 == 0 ? .done : .dequeue, "r\(index)", at: Double(index)), to: "q")
            }
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            #expect(size <= 8 * 1024 + 200, "the file stays near the threshold")
        }
        let state = try store.state(of: "q")
        #expect(QueueStateTests.ids(state.open) == expectedOpen)
        #expect(QueueStateTests.ids(state.claimed) == ["r3"])
        #expect(QueueStateTests.ids(state.running) == ["r4"])
        #expect(state.open.first?.enqueuedAt == StoreFixtures.epoch.addingTimeInterval(7))
        // The queue goes on normally after compactions.
        try store.append(Self.record(.enqueue, "last", at: 999), to: "q")
        #expect(QueueStateTests.ids(try store.state(of: "q").open) == expectedOpen + ["last"])
        #expect(try store.queueNames() == ["q"], "no temp file is left behind")
    }

    @Test("a file over 1 MiB with few open items is compacted by the next write; with many it is left alone")
    func compactionAtOneMiB() throws {
        let directory = TemporaryDirectory()
        let store = Self.store(directory)
        let path = try store.path(of: "q")
        try FileManager.default.createDirectory(atPath: directory.path + "/data/queues", withIntermediateDirectories: true)
        var text = ""
        var open: [String] = []
        var index = 0
        while text.utf8.count <= 1 << 20 {
            text += String(decoding: try StoreJSON.line(Self.record(.enqueue, "run-\(index)", at: Double(index)), path: path), as: UTF8.self)
            if index % 1000 == 500 {
                open.append("run-\(index)")
            } else {
                text += String(decoding: try StoreJSON.line(Self.record(.done, "run-\(index)", at: Double(index)), path: path), as: UTF8.self)
            }
            index += 1
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try store.append(Self.record(.enqueue, "new", at: 1e6), to: "q")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size < 4096)
        #expect(QueueStateTests.ids(try store.state(of: "q").open) == open + ["new"])

        // Many open items: compaction would not halve the file, so it stays.
        var many = ""
        for index in 0..<16_000 {
            many += String(decoding: try StoreJSON.line(Self.record(.enqueue, "m-\(index)"), path: path), as: UTF8.self)
        }
        try many.write(toFile: path, atomically: false, encoding: .utf8)
        try store.append(Self.record(.enqueue, "tail"), to: "q")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 > 1 << 20)
        #expect(try store.state(of: "q").open.count == 16_001)
    }
}
