import Testing
@testable import TrellisCore

@Suite("Retry and repeat timing and decisions (§8.2, §8.3)")
struct RetryTimingTests {
    static let waitRows: [(Int, Double?, Int?, Int, Double)] = [
        (5, nil, nil, 0, 5),
        (5, nil, nil, 3, 5),
        (2, 2.0, nil, 0, 2),
        (2, 2.0, nil, 1, 4),
        (2, 2.0, nil, 3, 16),
        (2, 2.0, 10, 2, 8),
        (2, 2.0, 10, 3, 10),
        (2, 2.0, 10, 60, 10),
        (1, 1.5, nil, 2, 2.25),
        (4, 3.0, nil, 2, 36),
        (0, 2.0, nil, 5, 0),
        (60, nil, 30, 0, 30),
        (10, 2.0, 0, 1, 20),
        (-5, nil, nil, 0, 0),
        (3, 2.0, nil, -1, 3),
        (1, 2.0, nil, 10_000, RetryTiming.longestWaitSeconds),
        (1, 2.0, nil, Int.max, RetryTiming.longestWaitSeconds),
        (1, 2.0, 3_600, Int.max, 3_600),
    ]

    @Test("interval × backoff^n, capped", arguments: waitRows)
    func backoffWait(interval: Int, backoff: Double?, maxInterval: Int?, exponent: Int, seconds: Double) {
        let wait = RetryTiming.backoffWait(intervalSec: interval, backoff: backoff, maxIntervalSec: maxInterval, exponent: exponent)
        #expect(wait == .seconds(seconds))
    }

    @Test("integer power by squaring", arguments: [(2.0, 0, 1.0), (2.0, 1, 2.0), (2.0, 10, 1024.0), (1.5, 3, 3.375), (3.0, 5, 243.0), (2.0, -2, 1.0)])
    func power(base: Double, exponent: Int, expected: Double) {
        #expect(RetryTiming.power(base, exponent) == expected)
    }

    @Test("retry waits use the retries made so far")
    func retryWaits() {
        var policy = RetryPolicy(limit: .value(5))
        policy.backoff = 2.0
        policy.maxIntervalSec = 30
        let waits = (0...4).map { RetryTiming.retryWait(policy, intervalSec: 5, retryCount: $0) }
        #expect(waits == [.seconds(5), .seconds(10), .seconds(20), .seconds(30), .seconds(30)])
        #expect(RetryTiming.retryWait(RetryPolicy(limit: .value(1)), intervalSec: 7, retryCount: 3) == .seconds(7))
    }

    @Test("repeat waits use the executions done so far")
    func repeatWaits() {
        var policy = RepeatPolicy(mode: .while)
        policy.intervalSec = 3
        policy.backoff = 2.0
        #expect((1...3).map { RetryTiming.repeatWait(policy, doneCount: $0) } == [.seconds(6), .seconds(12), .seconds(24)])
        policy.maxIntervalSec = 10
        #expect(RetryTiming.repeatWait(policy, doneCount: 3) == .seconds(10))
        policy.backoff = nil
        #expect(RetryTiming.repeatWait(policy, doneCount: 9) == .seconds(3))
    }

    static let retryRows: [(String, Int, [Int], Int, Int?, Bool, Bool)] = [
        ("first failure", 3, [], 0, 1, false, true),
        ("last allowed retry", 3, [], 2, 1, false, true),
        ("limit reached", 3, [], 3, 1, false, false),
        ("limit 0", 0, [], 0, 1, false, false),
        ("listed exit code", 3, [1, 2], 0, 2, false, true),
        ("unlisted exit code", 3, [1, 2], 0, 3, false, false),
        ("no exit code with a list", 3, [1, 2], 0, nil, false, false),
        ("no exit code without a list", 3, [], 0, nil, false, true),
        ("step timeout, DAG timeout or stop", 3, [], 0, 124, true, false),
        ("timed out with 124 listed", 3, [124], 0, 124, true, false),
    ]

    @Test("whether to retry", arguments: retryRows)
    func shouldRetry(_ label: String, limit: Int, exitCodes: [Int], retryCount: Int, exitCode: Int?, interrupted: Bool, expected: Bool) {
        let decision = RetryTiming.shouldRetry(limit: limit, exitCodes: exitCodes, retryCount: retryCount, exitCode: exitCode, interrupted: interrupted)
        #expect(decision == expected, "\(label)")
    }

    @Test("limit 3 means up to 4 executions")
    func retryExecutions() {
        var executions = 0
        var retryCount = 0
        while true {
            executions += 1
            guard RetryTiming.shouldRetry(limit: 3, exitCodes: [], retryCount: retryCount, exitCode: 1) else { break }
            retryCount += 1
        }
        #expect(executions == 4)
        #expect(retryCount == 3)
    }

    static func policy(_ mode: RepeatPolicy.Mode, condition: Bool = false, exitCodes: [Int] = [], limit: Int? = nil) -> RepeatPolicy {
        var policy = RepeatPolicy(mode: mode)
        if condition { policy.condition = Condition(condition: "test -f /tmp/flag") }
        policy.exitCodes = exitCodes
        policy.limit = limit
        return policy
    }

    static let repeatRows: [(String, RepeatPolicy, Int, RepeatOutcome, Bool, Bool)] = [
        ("bare while, succeeded", policy(.while), 1, RepeatOutcome(succeeded: true, exitCode: 0), false, true),
        ("bare while, failed", policy(.while), 1, RepeatOutcome(succeeded: false, exitCode: 1), false, false),
        ("bare until, succeeded", policy(.until), 1, RepeatOutcome(succeeded: true, exitCode: 0), false, false),
        ("bare until, failed", policy(.until), 1, RepeatOutcome(succeeded: false, exitCode: 1), false, true),
        ("while condition met", policy(.while, condition: true), 1, RepeatOutcome(succeeded: false, conditionMet: true), false, true),
        ("while condition unmet", policy(.while, condition: true), 1, RepeatOutcome(succeeded: true, conditionMet: false), false, false),
        ("until condition met", policy(.until, condition: true), 1, RepeatOutcome(succeeded: false, conditionMet: true), false, false),
        ("until condition unmet", policy(.until, condition: true), 1, RepeatOutcome(succeeded: true, conditionMet: false), false, true),
        ("while exit code listed", policy(.while, exitCodes: [3]), 1, RepeatOutcome(succeeded: false, exitCode: 3), false, true),
        ("while exit code unlisted", policy(.while, exitCodes: [3]), 1, RepeatOutcome(succeeded: true, exitCode: 0), false, false),
        ("while no exit code", policy(.while, exitCodes: [3]), 1, RepeatOutcome(succeeded: false), false, false),
        ("until exit code listed", policy(.until, exitCodes: [0]), 1, RepeatOutcome(succeeded: true, exitCode: 0), false, false),
        ("until exit code unlisted", policy(.until, exitCodes: [0]), 1, RepeatOutcome(succeeded: false, exitCode: 2), false, true),
        ("condition takes precedence over exit codes", policy(.while, condition: true, exitCodes: [3]), 1, RepeatOutcome(succeeded: true, exitCode: 0, conditionMet: true), false, true),
        ("below the limit", policy(.while, limit: 3), 2, RepeatOutcome(succeeded: true), false, true),
        ("limit reached", policy(.while, limit: 3), 3, RepeatOutcome(succeeded: true), false, false),
        ("limit beats until", policy(.until, limit: 1), 1, RepeatOutcome(succeeded: false), false, false),
        ("no limit", policy(.while), 10_000, RepeatOutcome(succeeded: true), false, true),
        ("stop requested", policy(.while), 1, RepeatOutcome(succeeded: true), true, false),
        ("stop requested, until", policy(.until), 1, RepeatOutcome(succeeded: false), true, false),
    ]

    @Test("whether to repeat", arguments: repeatRows)
    func shouldRepeat(_ label: String, policy: RepeatPolicy, doneCount: Int, outcome: RepeatOutcome, stop: Bool, expected: Bool) {
        #expect(RetryTiming.shouldRepeat(policy, doneCount: doneCount, outcome: outcome, stopRequested: stop) == expected, "\(label)")
    }

    @Test("limit caps total executions")
    func repeatExecutions() {
        let policy = Self.policy(.while, limit: 3)
        var doneCount = 0
        repeat { doneCount += 1 } while RetryTiming.shouldRepeat(policy, doneCount: doneCount, outcome: RepeatOutcome(succeeded: true))
        #expect(doneCount == 3)
    }
}
