import Foundation
import TrellisCore

/// What one execution of a step produced.
struct ExecutionResult: Sendable {
    var exitCode: Int
    var error: String?
    /// Ended by a step timeout (exit code 124).
    var timedOut = false
    /// This execution's stdout text (capped) for `output:` and `continue_on.output`.
    var stdout: String = ""
    var stdoutTruncated = false
    /// A sub-DAG step whose children partially succeeded.
    var partiallySucceeded = false

    var succeeded: Bool { exitCode == 0 && error == nil }
}

extension RunAgent {
    /// Runs a node to its end: preconditions, executions, retries (§8.2) and repeats (§8.3).
    func runNode(_ name: String, isHandler: Bool) async {
        guard let step = step(named: name) else { return }
        var record = node(name)
        record.status = .running
        record.startedAt = record.startedAt ?? deps.now()
        record.finishedAt = nil
        record.error = nil
        if isHandler { record.retryCount = 0; record.doneCount = 0 }
        // Recorded together with the process group once the step's process runs (one
        // append per state change that a reader can act on).
        store(record)
        let stepScope: SubstitutionScope
        do {
            stepScope = try await scopeFor(step, isHandler: isHandler)
        } catch {
            finishNode(name, status: .failed, error: "\(error)", exitCode: nil)
            return
        }
        if !step.preconditions.isEmpty {
            let met = await conditionsHold(step.preconditions, scope: stepScope)
            if !met.holds {
                finishNode(name, status: met.error == nil ? .skipped : .failed, error: met.error, exitCode: nil)
                return
            }
        }
        await executeWithPolicies(step, scope: stepScope, isHandler: isHandler)
    }

    private func interrupted(_ isHandler: Bool) -> Bool {
        !isHandler && (stopRequested || dagTimedOut)
    }

    private func executeWithPolicies(_ step: Step, scope stepScope: SubstitutionScope, isHandler: Bool) async {
        let name = step.name
        while true {
            let result = await executeOnce(step, scope: stepScope)
            var record = node(name)
            record.exitCode = result.exitCode
            record.doneCount += 1
            record.error = result.error
            if !step.continueOn.output.isEmpty {
                record.outputMatched = step.continueOn.matchesOutput(lines: result.stdout.split(separator: "\n"))
            }
            if let output = step.output, result.succeeded || step.continueOn.failed {
                if result.stdoutTruncated {
                    record.error = "output exceeds max_output_size (\(request.dag.maxOutputSize) bytes)"
                    record.exitCode = result.exitCode == 0 ? 1 : result.exitCode
                } else {
                    let value = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    record.outputName = output
                    record.outputValue = value
                    setOutput(output, value, node: name)
                }
            }
            store(record)
            let failed = record.error != nil || record.exitCode != 0
            if failed, let policy = step.retryPolicy, !isHandler,
               let limit = await evaluateInt(policy.limit, scope: stepScope),
               RetryTiming.shouldRetry(limit: limit, exitCodes: policy.exitCodes, retryCount: record.retryCount,
                                       exitCode: record.exitCode, interrupted: result.timedOut || interrupted(isHandler)) {
                let interval = await evaluateInt(policy.intervalSec, scope: stepScope) ?? 0
                record.status = .retrying
                update(record)
                let wait = RetryTiming.retryWait(policy, intervalSec: interval, retryCount: record.retryCount)
                await sleepUnlessStopped(wait, isHandler: isHandler)
                if interrupted(isHandler) {
                    finishNode(name, status: .aborted, error: "stopped while waiting to retry", exitCode: record.exitCode)
                    return
                }
                record = node(name)
                record.retryCount += 1
                record.retriedAt = deps.now()
                record.status = .running
                store(record)
                continue
            }
            if let policy = step.repeatPolicy, !result.timedOut {
                let conditionMet: Bool
                if let condition = policy.condition {
                    conditionMet = await conditionsHold([condition], scope: stepScope).holds
                } else {
                    conditionMet = false
                }
                let outcome = RepeatOutcome(succeeded: !failed, exitCode: record.exitCode, conditionMet: conditionMet)
                if RetryTiming.shouldRepeat(policy, doneCount: record.doneCount, outcome: outcome, stopRequested: interrupted(isHandler)) {
                    update(record)
                    await sleepUnlessStopped(RetryTiming.repeatWait(policy, doneCount: record.doneCount), isHandler: isHandler)
                    if !interrupted(isHandler) { continue }
                }
            }
            if signalledNodes.contains(name) && !isHandler && !result.timedOut {
                finishNode(name, status: .aborted, error: record.error ?? (dagTimedOut ? "DAG timed out" : "stopped"), exitCode: record.exitCode)
            } else if !failed {
                finishNode(name, status: result.partiallySucceeded ? .partiallySucceeded : .succeeded, error: nil, exitCode: record.exitCode)
            } else if interrupted(isHandler) && !result.timedOut {
                finishNode(name, status: .aborted, error: record.error ?? (dagTimedOut ? "DAG timed out" : "stopped"), exitCode: record.exitCode)
            } else {
                let error = record.error ?? "exit status \(record.exitCode ?? 1)"
                let state = NodeState(name: name, status: .failed, exitCode: record.exitCode, outputMatched: record.outputMatched,
                                      error: error, retryCount: record.retryCount, doneCount: record.doneCount)
                let status: NodeStatus = step.continueOn.marksSuccess(of: state) ? .succeeded : .failed
                finishNode(name, status: status, error: error, exitCode: record.exitCode)
            }
            return
        }
    }

    func finishNode(_ name: String, status: NodeStatus, error: String?, exitCode: Int?) {
        var record = node(name)
        record.status = status
        record.error = error
        if let exitCode { record.exitCode = exitCode }
        record.finishedAt = deps.now()
        record.pgid = nil
        update(record)
    }

    func setOutput(_ name: String, _ value: String, node: String) {
        outputs.removeAll { $0.name == name }
        outputs.append((name, value, node))
    }

    private func sleepUnlessStopped(_ duration: Duration, isHandler: Bool) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !interrupted(isHandler) {
            let left = deadline - ContinuousClock.now
            try? await Task.sleep(for: min(left, .milliseconds(100)))
        }
    }

    private func evaluateInt(_ value: IntOrExpression, scope: SubstitutionScope) async -> Int? {
        switch value {
        case .value(let int): return int
        case .expression(let text):
            let substituted = try? await Substitutor(scope: scope, commands: substitutionRunner(scope: scope, workingDirectory: workingDirectory))
                .substitute(text, mode: .full)
            return substituted.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
    }
}
