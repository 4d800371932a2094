import Foundation
import Testing
import TrellisCore
import TrellisStore

/// kill -9 of the leading scheduler while its dispatcher is starting queued runs: a standby
/// takes over, and every queued run ends up run exactly once (none lost, none twice).
@Suite("Queues: scheduler crash during dispatch")
struct SchedulerCrashDispatchTests {
    @Test("kill -9 of the leader mid-dispatch: the standby finishes the queue; every run ran exactly once",
          .timeLimit(.minutes(3)))
    func crashDuringDispatch() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let ledger = home.dir.url.appendingPathComponent("ledger").path
        FileManager.default.createFile(atPath: ledger, contents: nil)
        // Each execution appends its run ID to a ledger (one write of a short line: atomic with O_APPEND).
        try home.dag("work", """
            max_active_runs: 3
            steps:
              - name: record
                command: sh -c 'echo "$DAG_RUN_ID" >> \(ledger); sleep 0.2'
            """)
        let ids = (0..<24).map { String(format: "run-%02d", $0) }
        for id in ids {
            let output = try home.trellis(["enqueue", "-q", "-r", id, "work"])
            #expect(output.status == 0, "\(output.stderr)")
        }
        let scheduler = home.dir
        let leader = try BackgroundScheduler(home: scheduler, name: "leader")
        defer { leader.terminate() }
        try await leader.waitForOutput("trellis scheduler is the leader")
        let standby = try BackgroundScheduler(home: scheduler, name: "standby")
        defer { standby.terminate() }
        try await standby.waitForError("waiting as standby")

        // Kill the leader while the queue is half way through.
        _ = try await eventually("a third of the runs to have executed") { () -> Bool? in
            Self.lines(ledger).count >= 8 ? true : nil
        }
        kill(leader.process.processIdentifier, SIGKILL)
        leader.process.waitUntilExit()
        try await standby.waitForOutput("trellis scheduler is the leader")

        let store = try home.store()
        defer { store.close() }
        var statuses: [String: RunStatus] = [:]
        for id in ids {
            let snapshot = try await eventually("run \(id) to finish") { () -> RunSnapshot? in
                guard let snapshot = try store.latestSnapshot(of: RunRef(name: "work", id: id)),
                      snapshot.finishedAt != nil, !snapshot.status.isActive else { return nil }
                return snapshot
            }
            statuses[id] = snapshot.status
        }
        #expect(statuses.values.allSatisfy { $0 == .succeeded }, "\(statuses.filter { $0.value != .succeeded })")
        let executed = Self.lines(ledger)
        #expect(executed.sorted() == ids, "each run executed exactly once")
    }

    private static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
