import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// A crash can leave any prefix of the last record: readers must return the state before it,
/// and the next writer must cut the torn bytes and append a whole line.
@Suite("Torn records")
struct TornLineTests {
    /// Truncates `path` to each offset inside its last record (its newline included), runs
    /// `check` with the offset, then restores the file.
    private func forEachTornPrefix(of path: String, _ check: (Int) throws -> Void) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let body = original.dropLast()
        let lastStart = (body.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        #expect(original.count - lastStart > 20)
        for offset in lastStart..<original.count {
            try original.prefix(offset).write(to: URL(fileURLWithPath: path))
            try check(offset)
        }
        try original.write(to: URL(fileURLWithPath: path))
    }

    @Test("status.jsonl cut at every byte of its last record")
    func statusFile() throws {
        let harness = StoreKind.file.make(clock: TestClock())
        let store = try #require(harness.file)
        let run = try harness.create("build", "r1").run
        let running = try harness.move(run, to: .running)
        let finished = try harness.move(run, to: .succeeded)
        let path = try #require(try AttemptFolder.latest(in: store.paths(of: run, attemptId: "").runDirectory)).statusPath
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try store.latestSnapshot(of: run) == finished)
        var next = running
        next.nodes[0].status = .running
        try forEachTornPrefix(of: path) { offset in
            #expect(try store.latestSnapshot(of: run) == running, "cut at \(offset)")
            try store.append(next, durability: .batched)
            #expect(try store.latestSnapshot(of: run) == next, "appended after a cut at \(offset)")
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 4 && lines.last == "", "cut at \(offset)")
            #expect(lines.dropLast().allSatisfy { StoreJSON.decodeLine(RunSnapshot.self, Data($0.utf8)) != nil })
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        try store.flush()
    }

    @Test("day indexes cut at every byte of their last record")
    func indexFiles() throws {
        let harness = StoreKind.file.make(clock: TestClock())
        let store = try #require(harness.file)
        let run = try harness.create("build", "r1").run
        try harness.move(run, to: .running)
        let finished = try harness.move(run, to: .failed)
        let day = UTCDay.day(StoreFixtures.epoch)
        let paths = [store.layout.dagIndexPath(dag: "build", day: day), store.layout.globalIndexPath(day: day)]
        for (path, other) in [(paths[0], paths[1]), (paths[1], paths[0])] {
            #expect(try DayIndex.fold(fileAt: path).map(\.status) == [.failed])
            let otherOriginal = try Data(contentsOf: URL(fileURLWithPath: other))
            defer { try? otherOriginal.write(to: URL(fileURLWithPath: other)) }
            try forEachTornPrefix(of: path) { offset in
                #expect(try DayIndex.fold(fileAt: path).map(\.status) == [.running], "cut at \(offset) of \(path)")
                let listed = try store.runs(dagName: nil, limit: 5, cursor: nil).entries
                #expect(listed.map(\.status) == [.failed], "an active entry is confirmed against the run")
                try store.appendIndexLines(for: finished, durability: .batched)
                let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 3 && lines.allSatisfy { StoreJSON.decodeLine(RunIndexEntry.self, Data($0.utf8)) != nil })
                #expect(try DayIndex.fold(fileAt: path).map(\.status) == [.failed])
            }
        }
        try store.flush()
    }

    @Test("a reader skips lines that do not parse and a file without any newline")
    func garbage() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/x.jsonl"
        let entry = RunIndexEntry(runId: "r", dag: "d", status: .running, createdAt: StoreFixtures.epoch, triggerType: .manual)
        let line = try StoreJSON.line(entry, path: path)
        try (line + Data("{not json}\n\n".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(try LineScanner.lastRecord(RunIndexEntry.self, inFileAt: path) == entry)
        try Data(line.dropLast()).write(to: URL(fileURLWithPath: path))
        #expect(try LineScanner.lastRecord(RunIndexEntry.self, inFileAt: path) == nil)
        #expect(try LineScanner.lastRecord(RunIndexEntry.self, inFileAt: directory.path + "/missing") == nil)
    }

    @Test("records longer than a read chunk are found")
    func longRecords() throws {
        let harness = StoreKind.file.make(clock: TestClock())
        let store = try #require(harness.file)
        let header = StoreFixtures.header("big", "r1", at: StoreFixtures.epoch)
        try store.createRun(header, spec: "", initial: StoreFixtures.snapshot(header, nodes: (0..<2_000).map { "step-\($0)" }))
        let first = try #require(try store.latestSnapshot(of: header.run))
        var second = first
        second.status = .running
        try store.append(second, durability: .synced)
        #expect(try store.latestSnapshot(of: header.run) == second)
        let path = try #require(try AttemptFolder.latest(in: store.paths(of: header.run, attemptId: "").runDirectory)).statusPath
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: try handle.seekToEnd() - 70_000)
        try handle.close()
        #expect(try store.latestSnapshot(of: header.run) == first)
    }
}
