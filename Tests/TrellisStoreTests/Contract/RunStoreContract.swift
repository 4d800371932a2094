import Foundation
import Testing
import TrellisCore
@testable import TrellisStore

/// The behaviour every run store must have, written once and run against each implementation:
/// give it a factory that makes a fresh, empty store with a given clock.
struct RunStoreContract {
    let makeStore: (TestClock) -> StoreHarness

    private func fresh() -> StoreHarness { makeStore(TestClock()) }

    func createAndReadBack() throws {
        let harness = fresh()
        let header = try harness.create("build", "r1")
        let store = harness.store
        #expect(try store.header(of: header.run) == header)
        #expect(try store.spec(of: header.run) == StoreFixtures.spec)
        let snapshot = try #require(try store.latestSnapshot(of: header.run))
        var expected = StoreFixtures.snapshot(header)
        expected.attemptId = snapshot.attemptId
        expected.log = snapshot.log
        #expect(snapshot == expected)
        #expect(!snapshot.attemptId.isEmpty)
        #expect(snapshot.log == store.paths(of: header.run, attemptId: "").runLog)
        #expect(try store.header(of: RunRef(name: "build", id: "nope")) == nil)
        #expect(try store.latestSnapshot(of: RunRef(name: "other", id: "r1")) == nil)
    }

    func duplicateRunIdIsRefused() throws {
        let harness = fresh()
        try harness.create("build", "r1")
        harness.clock.advance(days: 3)
        expectStoreError(.runExists) {
            try harness.create("build", "r1")
        }
        try harness.create("deploy", "r1")
        #expect(try harness.store.header(of: RunRef(name: "deploy", id: "r1")) != nil)
    }

    func attemptsAndAppendOrder() throws {
        let harness = fresh()
        let run = try harness.create("build", "r1").run
        let store = harness.store
        try harness.move(run, to: .running, durability: .batched)
        var snapshot = try #require(try store.latestSnapshot(of: run))
        for (index, status) in [NodeStatus.running, .succeeded, .running, .failed].enumerated() {
            snapshot.nodes[index / 2].status = status
            try store.append(snapshot, durability: index % 2 == 0 ? .batched : .synced)
            #expect(try store.latestSnapshot(of: run) == snapshot)
        }
        try harness.move(run, to: .failed)
        try store.flush()
        let first = try #require(try store.latestSnapshot(of: run))
        #expect(first.status == .failed && first.nodes.map(\.status) == [.succeeded, .failed])

        harness.clock.advance(seconds: 60)
        var retry = first
        retry.status = .running
        retry.triggerType = .retry
        retry.nodes[1] = NodeRecord(name: "b")
        let started = try store.startAttempt(retry)
        #expect(started.attemptId != first.attemptId && !started.attemptId.isEmpty)
        #expect(try store.latestSnapshot(of: run) == started)
        expectStoreError(.invalid) {
            try store.append(first, durability: .synced)
        }
        var next = started
        next.nodes[1].status = .succeeded
        try store.append(next, durability: .synced)
        #expect(try store.latestSnapshot(of: run) == next)
        let paths = store.paths(of: run, attemptId: started.attemptId)
        #expect(paths.stepLogDirectory != store.paths(of: run, attemptId: first.attemptId).stepLogDirectory)
        #expect(paths.stepLogDirectory == store.paths(of: run, attemptId: "").stepLogDirectory)
        let stranger = StoreFixtures.snapshot(StoreFixtures.header("x", "y", at: harness.clock.now))
        expectStoreError(.notFound) {
            try store.append(stranger, durability: .synced)
        }
    }

    func pathsExistAndAreAbsolute() throws {
        let harness = fresh()
        let header = try harness.create("build", "r1")
        let paths = harness.store.paths(of: header.run, attemptId: "")
        for directory in [paths.workDirectory, paths.stepLogDirectory] {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
            #expect(exists && isDirectory.boolValue, "\(directory)")
        }
        for path in [paths.runDirectory, paths.runLog, paths.cancelRequest, paths.childrenDirectory] {
            #expect(path.hasPrefix(harness.directory.path + "/"), "\(path)")
        }
        #expect(paths.runLog == paths.runDirectory + "/run.log")
    }

    func listingIsNewestFirstAcrossDays() throws {
        let harness = fresh()
        var expected: [RunRef] = []
        for day in 0..<4 {
            for (dag, id) in [("beta", "b\(day)"), ("alpha", "z\(day)"), ("alpha", "a\(day)")] {
                try harness.create(dag, id)
            }
            expected = [RunRef(name: "alpha", id: "a\(day)"), RunRef(name: "alpha", id: "z\(day)"),
                        RunRef(name: "beta", id: "b\(day)")] + expected
            harness.clock.advance(seconds: 7_200)
            try harness.create("gamma", "g\(day)")
            expected.insert(RunRef(name: "gamma", id: "g\(day)"), at: 0)
            harness.clock.advance(days: 1)
        }
        let page = try harness.store.runs(dagName: nil, limit: 100, cursor: nil)
        #expect(page.entries.map(\.run) == expected)
        #expect(page.nextCursor == nil)
        let alpha = try harness.store.runs(dagName: "alpha", limit: 100, cursor: nil)
        #expect(alpha.entries.map(\.run) == expected.filter { $0.name == "alpha" })
        #expect(try harness.store.runs(dagName: "missing", limit: 5, cursor: nil).entries.isEmpty)
    }

    func pagingWalksEveryRunOnce() throws {
        let harness = fresh()
        for index in 0..<13 {
            try harness.create(index % 3 == 0 ? "alpha" : "beta", "run\(index)")
            if index % 4 == 3 { harness.clock.advance(days: 1) } else if index % 2 == 0 { harness.clock.advance(seconds: 30) }
        }
        for dagName in [nil, "alpha", "beta"] as [String?] {
            let all = try harness.store.runs(dagName: dagName, limit: 1_000, cursor: nil).entries
            #expect(all.count == (dagName == nil ? 13 : dagName == "alpha" ? 5 : 8))
            for limit in 1...6 {
                let pages = try harness.allPages(dagName: dagName, limit: limit)
                let walked = pages.flatMap { $0 }.map(\.run)
                #expect(walked == all.map(\.run), "limit \(limit) of \(dagName ?? "*")")
                #expect(Set(walked).count == walked.count)
                #expect(pages.dropLast().allSatisfy { $0.count == limit })
                #expect(pages.last.map { !$0.isEmpty && $0.count <= limit } ?? false)
            }
        }
        let first = try harness.store.runs(dagName: "alpha", limit: 1, cursor: nil)
        let cursor = try #require(first.nextCursor)
        let misuses: [(String?, String?, Int)] = [
            (nil, cursor, 1), ("beta", cursor, 1), ("alpha", "not a cursor!", 1), ("alpha", "e30", 1),
            ("alpha", String(cursor.dropLast(3)), 1), ("alpha", nil, 0),
        ]
        for (dagName, text, limit) in misuses {
            expectStoreError(.invalid, "\(dagName ?? "*") \(text ?? "-") \(limit)") {
                _ = try harness.store.runs(dagName: dagName, limit: limit, cursor: text)
            }
        }
    }

    func childrenAreReadableButNotListed() throws {
        let harness = fresh()
        let parent = try harness.create("parent", "p1").run
        let child = try harness.create("child", "c1", parent: parent)
        let grandchild = try harness.create("leaf", "g1", parent: child.run)
        try harness.move(child.run, to: .running)
        try harness.move(child.run, to: .succeeded)
        #expect(try harness.store.header(of: child.run) == child)
        #expect(try harness.store.header(of: grandchild.run)?.parent == child.run)
        #expect(try harness.store.latestSnapshot(of: child.run)?.status == .succeeded)
        #expect(try harness.store.runs(dagName: nil, limit: 10, cursor: nil).entries.map(\.run) == [parent])
        #expect(try harness.store.runs(dagName: "child", limit: 10, cursor: nil).entries.isEmpty)
        let parentPaths = harness.store.paths(of: parent, attemptId: "")
        #expect(harness.store.paths(of: child.run, attemptId: "").runDirectory == parentPaths.childrenDirectory + "/c1")
        expectStoreError(.notFound) {
            try harness.create("child", "c2", parent: RunRef(name: "parent", id: "missing"))
        }
    }

    func lockIsExclusiveUntilReleased() throws {
        let harness = fresh()
        let run = try harness.create("build", "r1").run
        let store = harness.store
        let lock = try #require(try store.tryLock(run))
        #expect(try store.tryLock(run) == nil)
        lock.release()
        lock.release()
        let again = try #require(try store.tryLock(run))
        #expect(try store.tryLock(run) == nil)
        again.release()
        let third = try store.tryLock(run)
        #expect(third != nil)
        third?.release()
        expectStoreError(.notFound) {
            _ = try store.tryLock(RunRef(name: "build", id: "missing"))
        }
    }

    func listingShowsTheLatestStatus() throws {
        let harness = fresh()
        let run = try harness.create("build", "r1", status: .queued).run
        #expect(try harness.store.runs(dagName: nil, limit: 5, cursor: nil).entries.first?.status == .queued)
        harness.clock.advance(seconds: 5)
        try harness.move(run, to: .running, durability: .batched)
        let running = try #require(try harness.store.runs(dagName: "build", limit: 5, cursor: nil).entries.first)
        #expect(running.status == .running && running.startedAt == harness.clock.now)
        harness.clock.advance(seconds: 5)
        try harness.move(run, to: .partiallySucceeded)
        let done = try #require(try harness.store.runs(dagName: nil, limit: 5, cursor: nil).entries.first)
        #expect(done.status == .partiallySucceeded && done.finishedAt == harness.clock.now)
        #expect(done.triggerType == .manual && done.labels == ["team"] && done.createdAt == StoreFixtures.epoch)
    }
}
