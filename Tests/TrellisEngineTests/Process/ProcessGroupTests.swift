import CTrellisSystem
import Foundation
import Glibc
import Testing
@testable import TrellisEngine

@Suite("Process groups, signals and parent death (§6.3, §10)")
struct ProcessGroupTests {
    typealias Support = ProcessTestSupport

    @Test("the child leads its own process group")
    func ownProcessGroup() async throws {
        try await Support.withTemporaryDirectory { directory in
            let child = try await ProcessLauncher.launch(Support.shell("ps -o pgid= -p $$", in: directory))
            #expect(await child.termination == .exited(0))
            let pgid = Support.contents(of: directory + "/out.log").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(pgid == "\(child.pid)")
            #expect(child.processGroupID == child.pid)
        }
    }

    @Test("SIGTERM to the group ends the leader and its background children")
    func signalWholeGroup() async throws {
        try await Support.withTemporaryDirectory { directory in
            let ready = directory + "/ready"
            try Support.makeFIFO(ready)
            let child = try await ProcessLauncher.launch(
                Support.shell("sleep 100 & a=$!; sleep 100 & echo \"$a $!\" > ready; wait", in: directory))
            let members = await Support.readFIFO(ready).split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            #expect(members.count == 2)
            #expect(members.allSatisfy(Support.isAlive))

            #expect(child.signalGroup(SIGTERM))
            #expect(await child.termination == .signaled(SIGTERM))
            for member in members {
                #expect(await Support.waitForExit(pid: member))
            }
            // Orphans may linger as zombies under an init that does not reap; they do not count.
            #expect(!child.isGroupAlive())
        }
    }

    @Test("a background child outlives its leader until the group is killed")
    func backgroundOutlivesLeader() async throws {
        try await Support.withTemporaryDirectory { directory in
            let child = try await ProcessLauncher.launch(Support.shell("sleep 100 & echo $!", in: directory))
            #expect(await child.termination == .exited(0))
            let background = try #require(Int32(Support.contents(of: directory + "/out.log").trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(child.isGroupAlive())
            #expect(child.signalGroup(SIGKILL))
            #expect(await Support.waitForExit(pid: background))
            #expect(!child.isGroupAlive())
        }
    }

    @Test("a child that ignores SIGTERM survives it and dies on SIGKILL")
    func ignoredTerm() async throws {
        try await Support.withTemporaryDirectory { directory in
            let ready = directory + "/ready"
            try Support.makeFIFO(ready)
            let child = try await ProcessLauncher.launch(Support.shell("trap '' TERM; echo ready > ready; exec sleep 100", in: directory))
            #expect(await Support.readFIFO(ready) == "ready\n")
            // An ignored signal is discarded inside kill(2): once it returns, the child has survived it.
            #expect(child.signalGroup(SIGTERM))
            #expect(child.currentTermination == nil)
            #expect(child.isGroupAlive())
            #expect(child.signalGroup(SIGKILL))
            #expect(await child.termination == .signaled(SIGKILL))
            #expect(await child.termination.exitCode == 137)
        }
    }

    @Test("termination can be awaited before and after the exit, by many waiters")
    func manyWaiters() async throws {
        let child = try await ProcessLauncher.launch(ProcessSpec(executable: "sleep", arguments: ["100"], environment: Support.environment))
        let early = await withTaskGroup(of: Termination.self) { group in
            for _ in 0..<5 {
                group.addTask { await child.termination }
            }
            child.signalGroup(SIGKILL)
            return await group.reduce(into: [Termination]()) { $0.append($1) }
        }
        #expect(early == Array(repeating: .signaled(SIGKILL), count: 5))
        #expect(await child.termination == .signaled(SIGKILL))
        #expect(child.currentTermination == .signaled(SIGKILL))
    }

    @Test("the child survives while its launcher thread waits, and parent-death SIGKILL is armed")
    func parentDeathSignal() async throws {
        // Our design: the forking thread lives until the child is reaped, so other threads
        // coming and going never trigger PR_SET_PDEATHSIG.
        let child = try await ProcessLauncher.launch(ProcessSpec(executable: "sleep", arguments: ["100"], environment: Support.environment))
        for _ in 0..<3 {
            let other = try await ProcessLauncher.launch(ProcessSpec(executable: "true", environment: Support.environment))
            #expect(await other.termination == .exited(0))
        }
        #expect(child.currentTermination == nil)
        child.signalGroup(SIGTERM)
        #expect(await child.termination == .signaled(SIGTERM))

        // The mechanism itself: trellis_spawn called from a thread that then exits — the child
        // gets SIGKILL as soon as that thread is gone (exactly what the launcher avoids).
        let pid = await Support.onThread {
            var error: Int32 = 0
            var stage: Int32 = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("sleep"), strdup("100"), nil]
            let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=" + Support.searchPath), nil]
            defer { (argv + envp).forEach { free($0) } }
            return trellis_spawn("sleep", argv, envp, nil, nil, nil, 0, &error, &stage)
        }
        #expect(pid > 0)
        let status = await Support.onThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status
        }
        #expect(Termination(waitStatus: status) == .signaled(SIGKILL))
    }
}
