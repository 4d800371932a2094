import Foundation
import Testing
@testable import TrellisCLI
import TrellisCore
import TrellisStore

/// Suspend flags set or removed by another process (§15.3): with `trellis server` and
/// `trellis scheduler` as separate processes, the API writes `data/suspend/<file>.suspend` and the
/// scheduler's catalog (which follows only the DAGs directory) is not told. Each tick reads the
/// flags from the disk.
@Suite("Scheduler service: suspend flags written by another process")
struct SchedulerSuspendFlagTests {
    @Test("a resume and a suspend made by another process count at the next tick")
    func flagsOfAnotherProcess() async throws {
        let home = try SchedulerHarness()
        defer { home.remove() }
        let flag = home.data + "/suspend/hourly.suspend"
        try FileManager.default.createDirectory(atPath: home.data + "/suspend", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        try home.write("hourly", "schedule: \"0 * * * *\"\nsteps:\n  - {name: a, command: 'true'}\n")
        #expect(home.catalog.entry(fileName: "hourly")?.suspended == true)

        // Resumed by another process: the catalog still says suspended; the tick fires anyway.
        try FileManager.default.removeItem(atPath: flag)
        let resumed = await home.service().tick(at: utc(10, 0))
        #expect(resumed.started.count == 1, "\(resumed)")
        let run = try #require(resumed.started.first)
        #expect(try await home.finished(run).status == .succeeded)

        // Suspended by another process: the catalog still says not suspended; nothing fires.
        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        let suspended = await home.service().tick(at: utc(11, 0))
        #expect(suspended.started.isEmpty && suspended.enqueued.isEmpty, "\(suspended)")
        #expect(try home.runs("hourly").count == 1)
    }
}
