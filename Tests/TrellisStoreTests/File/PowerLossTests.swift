import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// Power loss, simulated: the stores write several records, then for every byte offset inside
/// the last record of one file a copy of the whole `data/` folder is made with that file cut at
/// the offset (or with random bytes and no newline after its last record), and a fresh store —
/// a process starting after the crash — reads and writes the copy. Readers must return the state
/// of the record before, never throw; the next writer must continue so that another fresh store
/// sees the new record and every earlier one.
@Suite("Power loss", .serialized)
struct PowerLossTests {
    /// How one file of the copy was damaged.
    enum Damage: CustomStringConvertible {
        /// Cut at this byte offset (inside the last record, its newline included).
        case cut(Int)
        /// The last record removed whole and replaced by bytes without a newline.
        case garbage(Data)

        var description: String {
            switch self {
            case .cut(let offset): "cut at byte \(offset)"
            case .garbage(let bytes): "\(bytes.count) garbage bytes after the previous record"
            }
        }
    }

    /// Runs `check` on a fresh copy of `data` per damage of `relative` (a path inside it): every
    /// cut inside the last record, then `garbageCases` random tails. Returns the number of cases.
    @discardableResult
    static func forEachDamage(of relative: String, in data: String, garbageCases: Int = 16,
                              _ check: (_ copy: String, _ damage: Damage) throws -> Void) throws -> Int {
        let original = try Data(contentsOf: URL(fileURLWithPath: data + "/" + relative))
        #expect(original.last == UInt8(ascii: "\n"))
        let body = original.dropLast()
        let lastStart = (body.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        #expect(lastStart > 0, "\(relative) holds several records")
        #expect(original.count - lastStart > 20)
        var damages = (lastStart..<original.count).map { Damage.cut($0) }
        var generator = SystemRandomNumberGenerator()
        for index in 0..<garbageCases {
            let count = index == 0 ? 1 : Int.random(in: 1...4_096, using: &generator)
            var bytes = Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
            bytes = Data(bytes.map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: "x") : $0 })
            damages.append(.garbage(bytes))
        }
        let scratch = TemporaryDirectory()
        for (index, damage) in damages.enumerated() {
            let copy = scratch.path + "/copy-\(index)"
            try FileManager.default.copyItem(atPath: data, toPath: copy)
            let damaged: Data = switch damage {
            case .cut(let offset): original.prefix(offset)
            case .garbage(let bytes): original.prefix(lastStart) + bytes
            }
            try damaged.write(to: URL(fileURLWithPath: copy + "/" + relative))
            try check(copy, damage)
            try FileManager.default.removeItem(atPath: copy)
        }
        return damages.count
    }

    static func store(_ data: String, clock: TestClock) -> FileRunStore {
        FileRunStore(dataDirectory: data, now: clock.function, logger: StoreFixtures.quietLogger)
    }

    static func relative(_ path: String, in data: String) -> String {
        String(path.dropFirst(data.count + 1))
    }

    /// Three root runs of two DAGs, each with several status lines; the last one still running
    /// with a step update as its last status line.
    static func populate(_ harness: StoreHarness) throws -> (runs: [RunRef], last: RunSnapshot, beforeLast: RunSnapshot) {
        let first = try harness.create("build", "r1").run
        try harness.move(first, to: .running)
        try harness.move(first, to: .succeeded)
        harness.clock.advance(seconds: 1)
        let second = try harness.create("deploy", "r2").run
        try harness.move(second, to: .running)
        try harness.move(second, to: .failed)
        harness.clock.advance(seconds: 1)
        let third = try harness.create("build", "r3").run
        var beforeLast = try harness.move(third, to: .running)
        beforeLast.nodes[0].status = .running
        try harness.store.append(beforeLast, durability: .synced)
        var last = beforeLast
        last.nodes[0].status = .succeeded
        last.nodes[1].status = .running
        try harness.store.append(last, durability: .synced)
        return ([first, second, third], last, beforeLast)
    }

    @Test("status.jsonl: every cut of its last record and garbage tails; a fresh store reads the record before and appends after it")
    func statusFile() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        let (runs, last, beforeLast) = try Self.populate(harness)
        try store.flush()
        let data = store.layout.dataDirectory
        let statusPath = try #require(try AttemptFolder.latest(in: store.paths(of: runs[2], attemptId: "").runDirectory)).statusPath
        #expect(try store.latestSnapshot(of: runs[2]) == last)
        let earlier = try runs.prefix(2).map { try #require(try store.latestSnapshot(of: $0)) }
        var next = beforeLast
        next.nodes[1].status = .failed
        next.status = .failed
        next.finishedAt = clock.now
        let cases = try Self.forEachDamage(of: Self.relative(statusPath, in: data), in: data) { copy, damage in
            let reader = Self.store(copy, clock: clock)
            #expect(try reader.latestSnapshot(of: runs[2]) == beforeLast, "\(damage)")
            let listed = try reader.runs(dagName: nil, limit: 10, cursor: nil).entries
            #expect(listed.map(\.runId) == ["r3", "r2", "r1"], "\(damage)")
            #expect(listed.map(\.status) == [.running, .failed, .succeeded], "\(damage)")
            #expect(try reader.runs(dagName: "build", limit: 10, cursor: nil).entries.map(\.runId) == ["r3", "r1"], "\(damage)")
            try reader.append(next, durability: .synced)
            let fresh = Self.store(copy, clock: clock)
            #expect(try fresh.latestSnapshot(of: runs[2]) == next, "\(damage)")
            #expect(try runs.prefix(2).compactMap { try fresh.latestSnapshot(of: $0) } == earlier, "\(damage)")
            #expect(try fresh.runs(dagName: nil, limit: 10, cursor: nil).entries.map(\.status) == [.failed, .failed, .succeeded])
            let text = try String(contentsOfFile: copy + "/" + Self.relative(statusPath, in: data), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.last == "", "\(damage): the file ends with a newline")
            #expect(lines.dropLast().allSatisfy { StoreJSON.decodeLine(RunSnapshot.self, Data($0.utf8)) != nil },
                    "\(damage): every line is a whole record")
            #expect(lines.dropLast().compactMap { StoreJSON.decodeLine(RunSnapshot.self, Data($0.utf8)) }.suffix(2) == [beforeLast, next])
        }
        print("power loss, status.jsonl: \(cases) damaged copies")
        #expect(cases > 100)
    }

    @Test("day indexes (per DAG and global): every cut of the last record and garbage tails")
    func indexFiles() throws {
        let clock = TestClock()
        let harness = StoreKind.file.make(clock: clock)
        let store = try #require(harness.file)
        _ = try Self.populate(harness)
        try store.flush()
        let data = store.layout.dataDirectory
        let day = UTCDay.day(StoreFixtures.epoch)
        // The last index line of both files: r3 (build) → running.
        let files = [store.layout.dagIndexPath(dag: "build", day: day), store.layout.globalIndexPath(day: day)]
        var total = 0
        for path in files {
            let relative = Self.relative(path, in: data)
            let before = try DayIndex.fold(fileAt: path)
            #expect(before.map(\.runId) == ["r3", "r1"] || before.map(\.runId) == ["r3", "r2", "r1"])
            #expect(before.first?.status == .running)
            let cases = try Self.forEachDamage(of: relative, in: data) { copy, damage in
                let folded = try DayIndex.fold(fileAt: copy + "/" + relative)
                // The record before r3's "running" line is its "not_started" one.
                #expect(folded.map(\.runId) == before.map(\.runId), "\(damage)")
                #expect(folded.first?.status == .notStarted, "\(damage)")
                #expect(Array(folded.dropFirst()) == Array(before.dropFirst()), "\(damage)")
                let reader = Self.store(copy, clock: clock)
                let listed = try reader.runs(dagName: nil, limit: 10, cursor: nil).entries
                #expect(listed.map(\.runId) == ["r3", "r2", "r1"], "\(damage)")
                #expect(listed.first?.status == .running, "\(damage): an active entry is confirmed against the run")
                #expect(try reader.runs(dagName: "build", limit: 1, cursor: nil).entries.map(\.runId) == ["r3"], "\(damage)")
                #expect(try reader.latestIndexEntry(dagName: "build")?.runId == "r3", "\(damage)")
                // The next writer: a new run of the same DAG, created and started.
                clock.advance(seconds: 1)
                let writer = StoreHarness(store: reader, directory: harness.directory, clock: clock)
                let header = try writer.create("build", "r4")
                try writer.move(header.run, to: .running)
                let fresh = Self.store(copy, clock: clock)
                let after = try fresh.runs(dagName: nil, limit: 10, cursor: nil).entries
                #expect(after.map(\.runId) == ["r4", "r3", "r2", "r1"], "\(damage)")
                #expect(after.map(\.status) == [.running, .running, .failed, .succeeded], "\(damage)")
                #expect(try fresh.runs(dagName: "build", limit: 10, cursor: nil).entries.map(\.runId) == ["r4", "r3", "r1"])
                let lines = try String(contentsOfFile: copy + "/" + relative, encoding: .utf8)
                #expect(lines.hasSuffix("\n"))
                #expect(lines.split(separator: "\n").allSatisfy { StoreJSON.decodeLine(RunIndexEntry.self, Data($0.utf8)) != nil },
                        "\(damage): every line is a whole record")
            }
            print("power loss, \(relative): \(cases) damaged copies")
            total += cases
        }
        print("power loss, day indexes: \(total) damaged copies")
        #expect(total > 200)
    }

    @Test("queue file: every cut of the last record and garbage tails; a fresh store folds the state before and enqueues after it")
    func queueFile() throws {
        let directory = TemporaryDirectory()
        let data = directory.path + "/data"
        let queue = FileQueueStore(dataDirectory: data, logger: StoreFixtures.quietLogger)
        try queue.append(QueueStateTests.record(.enqueue, "a", at: 1), to: "q")
        try queue.append(QueueStateTests.record(.enqueue, "b", at: 2), to: "q")
        try queue.append(QueueStateTests.record(.enqueue, "c", at: 3), to: "q")
        let before = try queue.state(of: "q")
        try queue.append(QueueStateTests.record(.claim, "a", at: 4), to: "q")
        #expect(try queue.state(of: "q") != before)
        let next = QueueStateTests.record(.enqueue, "d", at: 5)
        let relative = Self.relative(try queue.path(of: "q"), in: (data as NSString).standardizingPath)
        let cases = try Self.forEachDamage(of: relative, in: data) { copy, damage in
            let reader = FileQueueStore(dataDirectory: copy, logger: StoreFixtures.quietLogger)
            #expect(try reader.state(of: "q") == before, "\(damage)")
            #expect(try reader.queueNames() == ["q"])
            // A dispatcher deciding under the lock sees the same state.
            let seen: QueueState = try reader.update("q") { state in ([], state) }
            #expect(seen == before, "\(damage)")
            try reader.append(next, to: "q")
            let fresh = FileQueueStore(dataDirectory: copy, logger: StoreFixtures.quietLogger)
            var expected = before
            expected.apply(next)
            #expect(try fresh.state(of: "q") == expected, "\(damage)")
            #expect(QueueStateTests.ids(try fresh.state(of: "q").open) == ["a", "b", "c", "d"], "\(damage)")
            let text = try Data(contentsOf: URL(fileURLWithPath: copy + "/" + relative))
            #expect(text.last == UInt8(ascii: "\n"))
            #expect(LineScanner.records(QueueRecord.self, in: text).count == 4, "\(damage): the torn bytes are gone")
        }
        print("power loss, queue file: \(cases) damaged copies")
        #expect(cases > 50)
    }
}
