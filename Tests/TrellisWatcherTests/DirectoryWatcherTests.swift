import Foundation
import Testing
@testable import TrellisWatcher

/// Real inotify on real files: each kind of change produces the right event.
@Suite struct DirectoryWatcherTests {
    typealias Support = WatchTestSupport

    private func makeWatcher(_ directory: String, debounce: Duration = .milliseconds(50),
                             rescanInterval: Duration = .seconds(60)) throws -> DirectoryWatcher {
        try DirectoryWatcher(directory: directory, debounce: debounce, rescanInterval: rescanInterval,
                             logger: Support.logger, shouldWatch: Support.yamlOnly)
    }

    @Test func creatingAFileReportsItChanged() async throws {
        try await Support.withTemporaryDirectory { directory in
            let watcher = try makeWatcher(directory)
            defer { watcher.stop() }
            let stream = watcher.events()
            try Support.write("steps: []\n", to: directory + "/a.yaml")
            let events = await Support.collect(stream) { $0.contains(.changed("a.yaml")) }
            #expect(events == [.changed("a.yaml")])
        }
    }

    @Test func rewritingAFileReportsItChanged() async throws {
        try await Support.withTemporaryDirectory { directory in
            try Support.write("one\n", to: directory + "/a.yaml")
            let watcher = try makeWatcher(directory)
            defer { watcher.stop() }
            let stream = watcher.events()
            try Support.write("two\n", to: directory + "/a.yaml")
            let events = await Support.collect(stream) { $0.contains(.changed("a.yaml")) }
            #expect(events == [.changed("a.yaml")])
        }
    }

    @Test func anAtomicRenameReportsTheTargetOnly() async throws {
        try await Support.withTemporaryDirectory { directory in
            try Support.write("one\n", to: directory + "/a.yaml")
            let watcher = try makeWatcher(directory)
            defer { watcher.stop() }
            let stream = watcher.events()
            try Support.atomicWrite("two\n", to: directory + "/a.yaml")
            let events = await Support.collect(stream) { $0.contains(.changed("a.yaml")) }
            #expect(events == [.changed("a.yaml")])
        }
    }

    @Test func deletingAFileReportsItRemoved() async throws {
        try await Support.withTemporaryDirectory { directory in
            try Support.write("one\n", to: directory + "/a.yaml")
            let watcher = try makeWatcher(directory)
            defer { watcher.stop() }
            let stream = watcher.events()
            try Support.remove(directory + "/a.yaml")
            let events = await Support.collect(stream) { $0.contains(.removed("a.yaml")) }
            #expect(events == [.removed("a.yaml")])
        }
    }

    @Test func movingAFileOutReportsItRemovedAndMovingInReportsItChanged() async throws {
        try await Support.withTemporaryDirectory { outside in
            try await Support.withTemporaryDirectory { directory in
                try Support.write("one\n", to: directory + "/a.yaml")
                try Support.write("two\n", to: outside + "/b.yaml")
                let watcher = try makeWatcher(directory)
                defer { watcher.stop() }
                let stream = watcher.events()
                try Support.rename(directory + "/a.yaml", outside + "/a.yaml")
                try Support.rename(outside + "/b.yaml", directory + "/b.yaml")
                let events = await Support.collect(stream) { $0.count >= 2 }
                #expect(Set(events) == [.removed("a.yaml"), .changed("b.yaml")])
            }
        }
    }

    @Test func theFilterDropsTemporariesAndDotfiles() async throws {
        try await Support.withTemporaryDirectory { directory in
            let watcher = try makeWatcher(directory)
            defer { watcher.stop() }
            let stream = watcher.events()
            for name in [".a.yaml.swp", "a.yaml~", ".hidden.yaml", "4913"] {
                try Support.write("x\n", to: directory + "/" + name)
            }
            try Support.remove(directory + "/4913")
            try Support.write("x\n", to: directory + "/sentinel.yaml")
            let events = await Support.collect(stream) { $0.contains(.changed("sentinel.yaml")) }
            #expect(events == [.changed("sentinel.yaml")])
        }
    }

    @Test func quickWritesToOneFileCoalesceIntoOneEvent() async throws {
        try await Support.withTemporaryDirectory { directory in
            // A generous quiet period so a slow, shared machine still counts the writes as one burst.
            let watcher = try makeWatcher(directory, debounce: .milliseconds(300))
            defer { watcher.stop() }
            let stream = watcher.events()
            for index in 0..<20 { try Support.write("version \(index)\n", to: directory + "/a.yaml") }
            let events = await Support.collect(stream) { events in
                if events.contains(.changed("a.yaml")) {
                    // Every write is done: any second event for a.yaml would be due before this one.
                    try? Support.write("x\n", to: directory + "/z.yaml")
                }
                return events.contains(.changed("z.yaml"))
            }
            #expect(events == [.changed("a.yaml"), .changed("z.yaml")])
        }
    }

    @Test func thePeriodicTickAsksForARescan() async throws {
        try await Support.withTemporaryDirectory { directory in
            let watcher = try makeWatcher(directory, rescanInterval: .milliseconds(100))
            defer { watcher.stop() }
            let events = await Support.collect(watcher.events()) { $0.filter { $0 == .rescan }.count >= 2 }
            #expect(events.filter { $0 == .rescan }.count == 2)
        }
    }

    @Test func losingTheDirectoryAsksForARescan() async throws {
        let parent = try Support.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = parent + "/dags"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let watcher = try makeWatcher(directory, rescanInterval: .milliseconds(50))
        defer { watcher.stop() }
        let stream = watcher.events()
        try FileManager.default.removeItem(atPath: directory)
        var events = await Support.collect(stream) { $0.contains(.overflow) }
        #expect(events.contains(.overflow))
        // Recreated: the next tick watches it again (before it emits `.rescan`), and changes are
        // reported again.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let later = watcher.events()
        _ = await Support.collect(later) { $0.contains(.rescan) }
        try Support.write("x\n", to: directory + "/a.yaml")
        events = await Support.collect(later) { $0.contains(.changed("a.yaml")) }
        #expect(events.contains(.changed("a.yaml")))
    }

    /// Whether the stream ends by itself within a minute.
    static func finishes(_ stream: AsyncStream<WatchEvent>) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in stream {}
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(60))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    @Test func stopEndsEveryStreamAndIsIdempotent() async throws {
        try await Support.withTemporaryDirectory { directory in
            let watcher = try makeWatcher(directory)
            let first = watcher.events()
            let second = watcher.events()
            watcher.stop()
            watcher.stop()
            // Each stream finishes (asserted on the outcome, not on time: a slow machine may take
            // long, but a stream that never ends fails after the generous bound).
            #expect(await Self.finishes(first))
            #expect(await Self.finishes(second))
            #expect(await Self.finishes(watcher.events()))
        }
    }

    @Test func stopBeforeAnySubscriberClosesEverything() throws {
        let directory = try Support.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watcher = try makeWatcher(directory)
        watcher.stop()
        watcher.stop()
    }

    @Test func aMissingDirectoryIsAnErrorNamingIt() throws {
        let missing = "/nonexistent-trellis-\(UInt64.random(in: 0...UInt64.max))"
        let error = #expect(throws: WatcherError.self) { try makeWatcher(missing) }
        #expect(error?.code == .cannotWatch)
        #expect(error?.description.contains(missing) == true)
    }
}
