import Foundation
import Testing
import TrellisCore
import TrellisStore

/// API §6.6: a stop of a queued run that the dispatcher has just claimed (its agent on the way)
/// is accepted, and the run ends `aborted` without its steps doing their work.
@Suite("Queues: stop while a run is being dispatched")
struct StopDuringDispatchTests {
    @Test("stop right after the claim: 200, and the run ends aborted before its step gets anywhere", .timeLimit(.minutes(2)))
    func stopAfterClaim() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let marker = home.dir.url.appendingPathComponent("marker").path
        try home.dag("slowstep", """
            max_active_runs: 5
            steps:
              - name: work
                command: sh -c 'sleep 2; touch \(marker)'
            """)
        let server = try StartAllHarness(home: home)
        defer { server.stop() }
        try await server.waitForOutput("trellis scheduler is the leader")
        let queueFile = home.dataDirectory + "/queues/slowstep.jsonl"
        for index in 0..<5 {
            let id = "s\(index)"
            let enqueued = try await server.request("POST", "/api/v1/dags/slowstep/enqueue", body: "{\"dagRunId\": \"\(id)\"}")
            #expect(enqueued.status == 200, "\(enqueued.text)")
            _ = try await QueueTestWait.until("the claim of \(id)") { () -> Bool? in
                let text = (try? String(contentsOfFile: queueFile, encoding: .utf8)) ?? ""
                return text.contains("\"op\":\"claim\"") && text.split(separator: "\n").contains { $0.contains("\"claim\"") && $0.contains("\"\(id)\"") } ? true : nil
            }
            let stopped = try await server.request("POST", "/api/v1/dag-runs/slowstep/\(id)/stop")
            #expect(stopped.status == 200, "\(id): \(stopped.text)")
            let final = try await server.ended("slowstep", id)
            #expect(final.status == .aborted, "\(id): \(final.status)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker), "a stopped run's step finished its work")
    }
}
