import Foundation
import Testing
import TrellisCore
import TrellisStore

/// API §6.6: a stop of a queued run that the dispatcher has just claimed (its agent on the way)
/// is accepted, and the run ends `aborted` without its steps doing their work. (The step is
/// long, so a slow test machine cannot let the run finish before the stop arrives.)
@Suite("Queues: stop while a run is being dispatched")
struct StopDuringDispatchTests {
    @Test("stop right after the claim: 200, and the run ends aborted before its step gets anywhere", .timeLimit(.minutes(2)))
    func stopAfterClaim() async throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let marker = home.dir.url.appendingPathComponent("marker").path
        try home.dag("slowstep", """
            max_active_runs: 5
            max_clean_up_time_sec: 1
            steps:
              - name: work
                command: sh -c 'sleep 300; touch \(marker)'
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
            if stopped.status != 200 {
                // Everything that tells what the run was doing when the stop was refused.
                let details = try await server.request("GET", "/api/v1/dag-runs/slowstep/\(id)").text
                let queue = (try? String(contentsOfFile: queueFile, encoding: .utf8)) ?? ""
                let logs = (try? FileManager.default.contentsOfDirectory(atPath: home.dataDirectory + "/logs"))?
                    .compactMap { try? String(contentsOfFile: home.dataDirectory + "/logs/" + $0, encoding: .utf8) }.joined() ?? ""
                Issue.record("stop of \(id) refused: \(stopped.text)\nrun: \(details)\nqueue: \(queue)\nagent logs: \(logs)\nstart-all: \(server.output.suffix(3000))")
            }
            let final = try await server.ended("slowstep", id)
            #expect(final.status == .aborted, "\(id): \(final.status)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker), "a stopped run's step finished its work")
    }
}
