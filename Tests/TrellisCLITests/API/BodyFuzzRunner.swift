import Foundation
import Synchronization
import TrellisCore

/// The inputs of one operation and where they go.
struct BodyFuzzPlan {
    var operation: BodyFuzzOperation
    /// The request path, mount included.
    var path: String
    var inputs: [BodyFuzzInput]
}

/// What the fuzz saw.
struct BodyFuzzSummary {
    var sent = 0
    var statuses: [Int: Int] = [:]
    var serverErrors = 0
    var failures: [String] = []
    /// The answer to each operation's base body (its first input).
    var baseStatuses: [String: Int] = [:]
}

/// Sends the plans over raw sockets from a few threads (one operation at a time per thread,
/// its inputs in order) and checks every answer.
struct BodyFuzzRunner {
    let port: Int
    let mount: String
    /// Text that must never appear in an answer (the canary's content).
    let secret: String

    func run(_ plans: [BodyFuzzPlan], connections: Int) -> BodyFuzzSummary {
        // The longest plans first, so that the threads end close together.
        let shared = Shared(plans.sorted { $0.inputs.count > $1.inputs.count })
        let done = DispatchGroup()
        for _ in 0..<connections {
            done.enter()
            Thread {
                while let plan = shared.nextPlan() {
                    shared.add(run(plan))
                }
                done.leave()
            }.start()
        }
        done.wait()
        return shared.summary.withLock { $0 }
    }

    /// The plans still to run and the running total, shared by the threads.
    private final class Shared: Sendable {
        let plans: [BodyFuzzPlan]
        let next = Mutex(0)
        let summary = Mutex(BodyFuzzSummary())

        init(_ plans: [BodyFuzzPlan]) {
            self.plans = plans
        }

        func nextPlan() -> BodyFuzzPlan? {
            next.withLock { index in
                defer { index += 1 }
                return index < plans.count ? plans[index] : nil
            }
        }

        func add(_ local: BodyFuzzSummary) {
            summary.withLock { total in
                total.sent += local.sent
                total.serverErrors += local.serverErrors
                total.failures += local.failures
                total.statuses.merge(local.statuses, uniquingKeysWith: +)
                total.baseStatuses.merge(local.baseStatuses) { $1 }
            }
        }
    }

    private func run(_ plan: BodyFuzzPlan) -> BodyFuzzSummary {
        var summary = BodyFuzzSummary()
        for (index, input) in plan.inputs.enumerated() {
            let what = "\(plan.operation) with \(input.label)"
            let reply: ServerHarness.Reply
            do {
                reply = try RawHTTP.request(port: port, plan.operation.method, plan.path, headers: input.headers, body: Data(input.body))
            } catch {
                summary.sent += 1
                summary.failures.append("\(what): no answer (\(error))")
                continue
            }
            summary.sent += 1
            summary.statuses[reply.status, default: 0] += 1
            if reply.status >= 500 { summary.serverErrors += 1 }
            if index == 0 { summary.baseStatuses[plan.operation.description] = reply.status }
            summary.failures += Self.problems(reply, input: input, secret: secret).map { "\(what): \($0)" }
            if (200..<300).contains(reply.status), plan.operation.template.hasSuffix("/rename") { undoRename(input, plan) }
        }
        return summary
    }

    /// What is wrong with an answer: a 5xx, an error that is not the JSON error object (API
    /// §1.5), not a 400 where one is due, a success that is not JSON or empty, the canary's
    /// secret anywhere.
    static func problems(_ reply: ServerHarness.Reply, input: BodyFuzzInput, secret: String) -> [String] {
        var problems: [String] = []
        let summary = "\(reply.status) \(reply.text.prefix(300))"
        if reply.status >= 500 { problems.append("a 5xx: \(summary)") }
        if (200..<300).contains(reply.status) {
            if !reply.body.isEmpty && reply.json == nil { problems.append("a success that is not JSON: \(summary)") }
        } else {
            if !(400..<500).contains(reply.status) { problems.append("neither a success nor a 4xx: \(summary)") }
            guard case .object(let error)? = reply.json, error["code"]?.stringValue?.isEmpty == false,
                  error["message"]?.stringValue != nil else {
                problems.append("not the JSON error object: \(summary)")
                return problems
            }
            if reply.headers["content-type"]?.hasPrefix("application/json") != true {
                problems.append("an error without a JSON content type: \(reply.headers["content-type"] ?? "none")")
            }
        }
        if input.expectsBadRequest && reply.status != 400 { problems.append("expected 400, got \(summary)") }
        if reply.text.contains(secret) { problems.append("the canary's content is in the answer") }
        return problems
    }

    /// A rename that went through (a valid new name from the zoo) is renamed back, so the
    /// next inputs find the DAG again.
    private func undoRename(_ input: BodyFuzzInput, _ plan: BodyFuzzPlan) {
        guard let sent = try? JSONValue.parse(String(decoding: input.body, as: UTF8.self)),
              let newName = sent["newFileName"]?.stringValue,
              let original = plan.path.split(separator: "/").dropLast().last else { return }
        let body = JSONValue.object(JSONObject([("newFileName", .string(String(original)))])).serialized()
        _ = try? RawHTTP.request(port: port, "POST", mount + "/dags/\(newName)/rename",
                                 headers: ["Content-Type": "application/json"], body: Data(body.utf8))
    }
}
