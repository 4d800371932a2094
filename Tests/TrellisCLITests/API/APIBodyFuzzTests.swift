import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import TrellisCore

/// A seeded fuzz of every JSON request body the served `/openapi.json` declares, against a live
/// `trellis server`: wrong types, missing and extra fields, numbers past every limit, long,
/// NUL, invalid-UTF-8 and surrogate strings, deep nesting, truncations, non-JSON, other content
/// types, YAML bombs in DAG texts, traversal in names and params. Never a 5xx, every error the
/// JSON error object (API §1.5), a 400 where the body is malformed or of the wrong type, the
/// server alive at the end, and nothing read or written outside the home's `dags/` and `data/`.
@Suite("REST API: request body fuzz", .serialized)
struct APIBodyFuzzTests {
    /// The seed of every random choice: the same inputs on every run.
    static let seed: UInt64 = 0x7E11_15F0_22ED

    /// A DAG whose first run holds (sleeps) so that singleton starts of it conflict; later runs
    /// end at once. The marker folder lives in `data/`.
    static func holding(_ marker: String, data: String) -> String {
        "steps:\n  - name: a\n    command: 'if mkdir \"\(data)/fz-hold-\(marker)\" 2>/dev/null; then sleep 120; fi'\n"
    }

    @Test("every JSON body of /openapi.json: thousands of seeded hostile bodies, no 5xx, JSON errors, nothing outside the home",
          .timeLimit(.minutes(8)))
    func fuzzEveryBody() throws {
        let started = Date()
        let server = try ServerHarness { home in
            let data = home.dataDirectory
            for name in ["fz-start", "fz-sync"] { try home.dag(name, Self.holding(name, data: data)) }
            // The first run ends at once; every retry of it holds, so later retries conflict.
            try home.dag("fz-retry", "steps:\n  - name: a\n    command: 'mkdir \"\(data)/fz-once-retry\" 2>/dev/null || sleep 120'\n")
            for name in ["fz-enqueue", "fz-suspend", "fz-rename", "fz-taken", "fz-spec", "fz-patch", "fz-generic"] {
                try home.dag(name, BodyFuzzSpecs.quick)
            }
        }
        defer { server.stop() }
        let home = server.home.home
        let parent = (home as NSString).deletingLastPathComponent
        let token = UUID().uuidString.prefix(8).lowercased()
        // Not named "canary": the hostile-request test, which may run at the same time, watches
        // the same folder for such names.
        let targets = BodyFuzzTargets(canaryName: "fz-bait-\(token)", canaryPath: parent + "/fz-bait-\(token)",
                                      sentinelPath: parent + "/fz-sentinel-\(token)", marker: "fzmark-\(token)")
        let canary = try BodyFuzzCanary(targets)
        defer { canary.remove() }
        let mount = "/api/v1"

        // Finished runs to retry and patch, and a holding run that start-sync's singleton meets.
        for (dag, id) in [("fz-retry", "fz-retry-1"), ("fz-patch", "fz-patch-1")] {
            let done = try RawHTTP.request(port: server.port, "POST", mount + "/dags/\(dag)/start-sync", headers: ["Content-Type": "application/json"],
                                           body: Data(#"{"dagRunId":"\#(id)","timeout":60}"#.utf8))
            try #require(done.status == 200, "\(dag): \(done.text)")
        }
        let holding = try RawHTTP.request(port: server.port, "POST", mount + "/dags/fz-sync/start", headers: ["Content-Type": "application/json"],
                                          body: Data(#"{"dagRunId":"fz-sync-1"}"#.utf8))
        try #require(holding.status == 200, "\(holding.text)")

        let document = try #require(try RawHTTP.request(port: server.port, "GET", mount + "/openapi.json").json)
        let operations = try BodyFuzzOperation.all(in: document)
        #expect(operations.count >= 12, "\(operations)")
        let plans = operations.enumerated().map { index, operation in
            let fixture = BodyFuzzFixture.of(operation, dataDirectory: server.home.dataDirectory)
            let corpus = BodyFuzzCorpus(operation: operation, base: fixture.base(operation), targets: targets,
                                        runsSpecs: operation.template.hasPrefix("/dag-runs"))
            let inputs = corpus.inputs(seed: Self.seed &+ UInt64(index)) + corpus.agentInputs(tag: "fz-agent-\(index)")
            return BodyFuzzPlan(operation: operation, path: mount + operation.operation.path(fixture.path), inputs: inputs)
        }
        let homeBefore = Self.filesOutsideDagsAndData(home)
        let parentBefore = Set(try FileManager.default.contentsOfDirectory(atPath: parent))

        let runner = BodyFuzzRunner(port: server.port, mount: mount, secret: canary.secret)
        let summary = runner.run(plans, connections: 3)

        // Stop what the fuzz started, then look at the server and the file system.
        let stopErrors = Self.stopRunningRuns(port: server.port, mount: mount)
        #expect(stopErrors.isEmpty, "\(stopErrors)")
        #expect(server.process.isRunning, "the server is still running")
        #expect(try RawHTTP.request(port: server.port, "GET", mount + "/health").status == 200)
        for failure in summary.failures.prefix(1_000) { print("body fuzz failure: \(failure)") }
        for failure in summary.failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
        #expect(summary.failures.isEmpty, "\(summary.failures.count) failures")
        #expect(summary.serverErrors == 0)
        #expect(summary.sent > 5_000, "inputs tried: \(summary.sent)")
        for (operation, status) in summary.baseStatuses.sorted(by: { $0.key < $1.key }) {
            #expect([200, 201, 409].contains(status), "the base body of \(operation) is valid-ish: \(status)")
        }
        #expect(canary.problems().isEmpty, "\(canary.problems())")
        #expect(Self.filesOutsideDagsAndData(home) == homeBefore, "nothing new in the home outside dags/ and data/")
        let created = Set(try FileManager.default.contentsOfDirectory(atPath: parent)).subtracting(parentBefore)
            .filter { $0.contains(targets.marker) || $0.contains("fz-") || $0.contains("passwd") || $0.hasPrefix("..") }
        #expect(created.isEmpty, "nothing new next to the home: \(created.sorted())")
        let seconds = Int(Date().timeIntervalSince(started))
        let perOperation = plans.map { "\($0.operation) \($0.inputs.count) (base \(summary.baseStatuses[$0.operation.description] ?? 0))" }
        print("body fuzz: \(summary.sent) inputs over \(operations.count) operations (\(perOperation.joined(separator: ", "))) in \(seconds) s; "
              + "statuses \(summary.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")); "
              + "5xx \(summary.serverErrors); failures \(summary.failures.count); server alive \(server.process.isRunning)")
    }

    /// Every path under `home` outside `dags/` and `data/` (the server's own output files were
    /// made before the fuzz).
    static func filesOutsideDagsAndData(_ home: String) -> Set<String> {
        var paths: Set<String> = []
        guard let walker = FileManager.default.enumerator(atPath: home) else { return paths }
        while let relative = walker.nextObject() as? String {
            let top = relative.split(separator: "/").first.map(String.init) ?? relative
            if top == "dags" || top == "data" { continue }
            paths.insert(relative)
        }
        return paths
    }

    /// Stops every running run (the holding runs and what the fuzz started) and waits until
    /// none is running; returns what went wrong.
    static func stopRunningRuns(port: Int, mount: String) -> [String] {
        var errors: [String] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard let list = try? RawHTTP.request(port: port, "GET", mount + "/dag-runs?status=running&limit=500"),
                  let runs = list.json?["dagRuns"]?.arrayValue else { return ["cannot list running runs"] }
            if runs.isEmpty { return errors }
            for run in runs {
                guard let name = run["name"]?.stringValue, let id = run["dagRunId"]?.stringValue,
                      let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { continue }
                let reply = try? RawHTTP.request(port: port, "POST", mount + "/dag-runs/\(encoded)/\(id)/stop")
                if let reply, reply.status >= 500 { errors.append("stop \(name)/\(id): \(reply.status) \(reply.text)") }
            }
            usleep(200_000)
        }
        return errors + ["runs still running after 60 s"]
    }
}
