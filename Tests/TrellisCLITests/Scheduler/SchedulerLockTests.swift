import Foundation
import Testing
import TrellisStore

/// Scheduler leadership (§15.2): one holder per data directory, the others wait as standbys.
@Suite("Scheduler lock")
struct SchedulerLockTests {
    /// Awaits `operation`, failing after 20 s instead of hanging.
    private func bounded(_ what: String, _ operation: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await operation()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                return false
            }
            let done = try await group.next() ?? false
            group.cancelAll()
            if !done { throw EngineWaitTimeout(what: what) }
        }
    }

    @Test("a second lock waits until the first is released")
    func secondWaitsForRelease() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = SchedulerLock(dataDirectory: directory.url.path)
        let second = SchedulerLock(dataDirectory: directory.url.path)
        #expect(try first.tryAcquire())
        #expect(try !second.tryAcquire())
        let (standby, announce) = AsyncStream<Void>.makeStream()
        let waiter = Task {
            try await second.acquire(pollInterval: .milliseconds(20), onStandby: { announce.yield() })
        }
        for await _ in standby { break }
        #expect(!second.isHeld)
        first.release()
        try await bounded("the standby to take the lock") { try await waiter.value }
        #expect(second.isHeld)
        #expect(try !first.tryAcquire())
        second.release()
    }

    @Test("a waiting standby can be cancelled")
    func standbyIsCancellable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let holder = SchedulerLock(dataDirectory: directory.url.path)
        #expect(try holder.tryAcquire())
        let standby = SchedulerLock(dataDirectory: directory.url.path)
        let (waiting, announce) = AsyncStream<Void>.makeStream()
        let waiter = Task { try await standby.acquire(onStandby: { announce.yield() }) }
        for await _ in waiting { break }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!standby.isHeld)
    }

    @Test("after kill -9 of the leading `trellis scheduler`, the standby takes over")
    func standbyTakesOverAfterKill() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leader = try BackgroundScheduler(home: directory, name: "leader")
        defer { leader.terminate() }
        try await leader.waitForOutput("trellis scheduler is the leader")
        let probe = SchedulerLock(dataDirectory: directory.url.appendingPathComponent("data").path)
        #expect(try !probe.tryAcquire())
        let standby = try BackgroundScheduler(home: directory, name: "standby")
        defer { standby.terminate() }
        try await standby.waitForError("waiting as standby")
        #expect(!standby.output.contains("is the leader"))
        kill(leader.process.processIdentifier, SIGKILL)
        leader.process.waitUntilExit()
        #expect(leader.process.terminationReason == .uncaughtSignal)
        try await standby.waitForOutput("trellis scheduler is the leader")
        kill(standby.process.processIdentifier, SIGTERM)
        standby.process.waitUntilExit()
        #expect(standby.process.terminationStatus == 0)
        #expect(try probe.tryAcquire())
        probe.release()
    }
}

/// `trellis scheduler --home <dir>` in the background, its output in files.
final class BackgroundScheduler: @unchecked Sendable {
    // Only the test's task touches it; `Process` is not Sendable.
    let process = Process()
    let outPath: String
    let errPath: String

    init(home: TemporaryDirectory, name: String) throws {
        outPath = home.url.appendingPathComponent(".\(name).out").path
        errPath = home.url.appendingPathComponent(".\(name).err").path
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = BinaryRunner.binary
        process.arguments = ["scheduler", "--home", home.url.path]
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("TRELLIS_") { environment[key] = nil }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    func waitForOutput(_ text: String) async throws {
        _ = try await eventually("\"\(text)\" on stdout (stderr: \(errors))") { output.contains(text) ? true : nil }
    }

    func waitForError(_ text: String) async throws {
        _ = try await eventually("\"\(text)\" on stderr") { errors.contains(text) ? true : nil }
    }

    func terminate() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
