import Foundation
import Testing
@testable import TrellisWatcher

/// Many files at once: every name is reported, or an overflow says to rescan.
@Suite struct BurstTests {
    typealias Support = WatchTestSupport

    @Test func twoThousandFilesAreAllReportedOrAnOverflowIsSignalled() async throws {
        try await Support.withTemporaryDirectory { directory in
            let watcher = try DirectoryWatcher(directory: directory, logger: Support.logger, shouldWatch: Support.yamlOnly)
            defer { watcher.stop() }
            let stream = watcher.events()
            let names = (0..<2000).map { String(format: "dag-%04d.yaml", $0) }
            for name in names { try Support.write("steps: []\n", to: directory + "/" + name) }
            let events = await Support.collect(stream, timeout: .seconds(30)) { events in
                events.contains(.overflow) || Set(Support.changedNames(events)).count == names.count
            }
            if events.contains(.overflow) {
                // Lost events: the consumer rescans; nothing more to check.
                return
            }
            #expect(Set(Support.changedNames(events)) == Set(names))
            // Mostly one event per name; a writer descheduled between creating a file and
            // closing it for longer than the quiet period (a loaded machine) legitimately gets
            // a second one, so only an event for no file of ours would be wrong.
            #expect(Support.changedNames(events).count >= names.count)
        }
    }
}
