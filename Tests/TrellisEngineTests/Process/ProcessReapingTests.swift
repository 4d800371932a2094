import Foundation
import Glibc
import Testing
@testable import TrellisEngine

@Suite("Process launcher: reaping and concurrency")
struct ProcessReapingTests {
    typealias Support = ProcessTestSupport

    @Test("no zombie remains after many launches")
    func noZombies() async throws {
        var pids: [Int32] = []
        for index in 0..<40 {
            let child = try await ProcessLauncher.launch(ProcessSpec(
                executable: "sh", arguments: ["-c", "exit \(index % 3)"], environment: Support.environment))
            #expect(await child.termination == .exited(Int32(index % 3)))
            pids.append(child.pid)
        }
        // A failed exec is reaped inside the launch as well.
        for _ in 0..<10 {
            #expect(await Support.launchError(ProcessSpec(executable: "/nonexistent/program")) != nil)
        }
        #expect(pids.filter(Support.isOurZombie).isEmpty)
    }

    @Test("200 concurrent launches all complete")
    func concurrentLaunches() async throws {
        let results = try await withThrowingTaskGroup(of: (Int32, Termination).self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let child = try await ProcessLauncher.launch(ProcessSpec(executable: "true", environment: Support.environment))
                    return (child.pid, await child.termination)
                }
            }
            return try await group.reduce(into: [(Int32, Termination)]()) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.1 == .exited(0) })
        #expect(Set(results.map(\.0)).count == 200)
        #expect(results.map(\.0).filter(Support.isOurZombie).isEmpty)
    }
}
