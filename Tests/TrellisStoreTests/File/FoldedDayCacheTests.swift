import Foundation
import Testing
import TrellisCore
import TrellisTesting
@testable import TrellisStore

/// ``FoldedDayCache``: a day file is decoded once while unchanged, re-read after an append or a
/// rewrite, and the cache stays within its entry limit.
@Suite("Folded day cache")
struct FoldedDayCacheTests {
    private func line(_ id: String, _ status: RunStatus, dag: String = "job", at time: String = "12:00:00") -> String {
        "{\"runId\":\"\(id)\",\"dag\":\"\(dag)\",\"status\":\(status.rawValue),\"createdAt\":\"2026-11-29T\(time).000Z\",\"triggerType\":2,\"labels\":[]}\n"
    }

    private func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test("unchanged files come from the cache; appends and rewrites are seen; the limit holds")
    func cache() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/index.jsonl"
        try Data((line("a", .running) + line("b", .queued)).utf8).write(to: URL(fileURLWithPath: path))
        let cache = FoldedDayCache(limit: 3)
        #expect(try cache.entries(fileAt: path).map(\.runId).sorted() == ["a", "b"])
        // Same size and time, other bytes: still the cached fold (no read while the stamp holds).
        let stamp = FileStamp(path: path)
        try Data((line("a", .running) + line("c", .queued)).utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data((line("a", .running) + line("b", .queued)).utf8))
        try handle.close()
        if FileStamp(path: path) == stamp {
            #expect(try cache.entries(fileAt: path).map(\.runId).sorted() == ["a", "b"])
        }
        // An append is seen at once: the last line of a run wins.
        try append(line("a", .succeeded), to: path)
        let folded = try cache.entries(fileAt: path)
        #expect(folded.first { $0.runId == "a" }?.status == .succeeded)
        // A rewrite (new inode, as retention does) is seen too.
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path + ".new")
        _ = rename(path + ".new", path)
        #expect(try cache.entries(fileAt: path).map(\.runId).sorted() == ["a", "c"])
        // A missing file folds to nothing; a file over the limit is returned but not kept.
        #expect(try cache.entries(fileAt: directory.path + "/missing.jsonl").isEmpty)
        let big = directory.path + "/big.jsonl"
        try Data((0..<5).map { line("r\($0)", .succeeded) }.joined().utf8).write(to: URL(fileURLWithPath: big))
        #expect(try cache.entries(fileAt: big).count == 5)
    }

    @Test("folding only the appended lines gives the full fold after every append, torn tails included")
    func incremental() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/index.jsonl"
        FileManager.default.createFile(atPath: path, contents: nil)
        let cache = FoldedDayCache()
        var generator = SeededGenerator(seed: 7)
        let statuses: [RunStatus] = [.queued, .running, .succeeded, .failed]
        var pendingTail = ""
        for round in 0..<200 {
            var text = pendingTail
            for _ in 0..<Int(generator.next() % 4) {
                let id = "r\(generator.next() % 60)"
                let minute = Int(id.dropFirst())! % 60
                text += line(id, statuses[Int(generator.next() % 4)], at: "12:\(minute < 10 ? "0" : "")\(minute):00")
            }
            // Every few rounds the writer is caught mid-line: the cache must not fold half a line.
            let cut = round % 5 == 4 && !text.isEmpty ? Int(generator.next() % UInt64(text.utf8.count)) : text.utf8.count
            let written = String(decoding: Array(text.utf8)[..<cut], as: UTF8.self)
            pendingTail = String(decoding: Array(text.utf8)[cut...], as: UTF8.self)
            try append(written, to: path)
            let expected = try DayIndex.fold(fileAt: path)
            let folded = try cache.entries(fileAt: path)
            #expect(folded == expected, "round \(round)")
        }
    }

    @Test("runs created in the same millisecond, and runs whose time changes, fold as a full fold does; a cursor starts after its key")
    func tiesAndCursors() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/index.jsonl"
        FileManager.default.createFile(atPath: path, contents: nil)
        let cache = FoldedDayCache()
        var generator = SeededGenerator(seed: 11)
        let statuses: [RunStatus] = [.queued, .running, .succeeded, .failed]
        for round in 0..<120 {
            var text = ""
            for _ in 0..<Int(1 + generator.next() % 3) {
                // Few IDs, two DAG names and three instants: ties on time, and times that move.
                let id = "r\(generator.next() % 25)"
                let dag = generator.next() % 2 == 0 ? "alpha" : "beta"
                let second = [0, 0, 30][Int(generator.next() % 3)]
                text += line(id, statuses[Int(generator.next() % 4)], dag: dag, at: second == 0 ? "12:00:00" : "12:00:30")
            }
            try append(text, to: path)
            let expected = try DayIndex.fold(fileAt: path)
            #expect(try cache.entries(fileAt: path) == expected, "round \(round)")
            if !expected.isEmpty {
                let cut = Int(generator.next() % UInt64(expected.count))
                let reader = try FoldedDayReader(cache.fold(fileAt: path), path: path, after: RunOrderKey(expected[cut]))
                var rest: [RunIndexEntry] = []
                while let entry = try reader.next() { rest.append(entry) }
                #expect(rest == Array(expected[(cut + 1)...]), "round \(round), after \(cut)")
            }
        }
    }

    @Test("a file changed in place under its slots is read again whole")
    func changedInPlace() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/index.jsonl"
        try Data((line("a", .running) + line("b", .queued)).utf8).write(to: URL(fileURLWithPath: path))
        let cache = FoldedDayCache()
        #expect(try cache.entries(fileAt: path).map(\.runId).sorted() == ["a", "b"])
        // Same length, other runs, same inode: the slots point at lines of other runs now.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data((line("c", .failed) + line("d", .queued)).utf8))
        try handle.close()
        #expect(try cache.entries(fileAt: path) == DayIndex.fold(fileAt: path))
        #expect(try cache.entries(fileAt: path).map(\.runId).sorted() == ["c", "d"])
    }
}
