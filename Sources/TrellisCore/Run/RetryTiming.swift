/// Waits and decisions of `retry_policy` (§8.2) and `repeat_policy` (§8.3). Pure: the engine
/// sleeps on its injected clock for the returned durations.
public enum RetryTiming {
    /// The longest wait ever returned (about 31 years), so an unbounded back-off stays finite.
    public static let longestWaitSeconds = 1e9

    /// `intervalSec × backoff^exponent`, capped by `maxIntervalSec`.
    ///
    /// No `backoff` keeps the interval constant. The cap applies whenever `maxIntervalSec` is
    /// positive, with or without a back-off. Negative intervals count as 0.
    public static func backoffWait(intervalSec: Int, backoff: Double?, maxIntervalSec: Int?, exponent: Int) -> Duration {
        var seconds = Double(max(0, intervalSec))
        if let backoff, backoff > 0, seconds > 0 {
            seconds *= power(backoff, exponent)
        }
        if let cap = maxIntervalSec, cap > 0 { seconds = min(seconds, Double(cap)) }
        if !seconds.isFinite || seconds > longestWaitSeconds { seconds = longestWaitSeconds }
        return .seconds(seconds)
    }

    /// `base^exponent` by squaring (no Foundation `pow`); 1 for a negative exponent. Overflow
    /// gives infinity, which the caller clamps.
    static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        var factor = base
        var remaining = max(0, exponent)
        while remaining > 0 {
            if remaining & 1 == 1 { result *= factor }
            remaining >>= 1
            if remaining > 0 { factor *= factor }
        }
        return result
    }

    /// The wait before the next retry: `interval_sec × backoff^retryCount` (capped), where
    /// `retryCount` is the number of retries made before this one (0 before the first).
    /// `intervalSec` is the policy's `interval_sec`, already evaluated.
    public static func retryWait(_ policy: RetryPolicy, intervalSec: Int, retryCount: Int) -> Duration {
        backoffWait(intervalSec: intervalSec, backoff: policy.backoff, maxIntervalSec: policy.maxIntervalSec, exponent: retryCount)
    }

    /// The wait before the next repeat: `interval_sec × backoff^doneCount` (capped), where
    /// `doneCount` counts the executions finished so far (1 after the first).
    public static func repeatWait(_ policy: RepeatPolicy, doneCount: Int) -> Duration {
        backoffWait(intervalSec: policy.intervalSec, backoff: policy.backoff, maxIntervalSec: policy.maxIntervalSec, exponent: doneCount)
    }

    /// Whether a failed execution is retried: not after a step timeout, a DAG timeout or a stop
    /// (`interrupted`); otherwise while `retryCount < limit` and, when `exitCodes` is not empty,
    /// only for a listed exit code (an execution without an exit code then is not retried).
    /// `limit` is the policy's `limit`, already evaluated.
    public static func shouldRetry(limit: Int, exitCodes: [Int], retryCount: Int, exitCode: Int?, interrupted: Bool = false) -> Bool {
        guard !interrupted, retryCount < limit else { return false }
        guard !exitCodes.isEmpty else { return true }
        guard let exitCode else { return false }
        return exitCodes.contains(exitCode)
    }

    /// Whether a repeating step runs again after an execution.
    ///
    /// Never after a stop or DAG timeout (`stopRequested`), nor once `doneCount` (executions so
    /// far, this one included) reaches `limit`. Otherwise the test is, by precedence: the
    /// condition when the policy has one; else whether the exit code is listed in `exit_code`;
    /// else (bare `repeat: true`) whether the step succeeded. `while` repeats while the test
    /// holds, `until` until it holds.
    public static func shouldRepeat(_ policy: RepeatPolicy, doneCount: Int, outcome: RepeatOutcome, stopRequested: Bool = false) -> Bool {
        guard !stopRequested else { return false }
        if let limit = policy.limit, doneCount >= limit { return false }
        let holds: Bool
        if policy.condition != nil {
            holds = outcome.conditionMet
        } else if !policy.exitCodes.isEmpty {
            holds = outcome.exitCode.map(policy.exitCodes.contains) ?? false
        } else {
            holds = outcome.succeeded
        }
        switch policy.mode {
        case .while: return holds
        case .until: return !holds
        }
    }
}

/// What the engine observed after one execution of a repeating step.
public struct RepeatOutcome: Sendable, Hashable {
    /// The execution succeeded.
    public var succeeded: Bool
    /// Its exit code, when a process ran.
    public var exitCode: Int?
    /// The policy's condition was met (evaluated after the execution); an evaluation error counts
    /// as unmet. Ignored when the policy has no condition.
    public var conditionMet: Bool

    public init(succeeded: Bool, exitCode: Int? = nil, conditionMet: Bool = false) {
        self.succeeded = succeeded
        self.exitCode = exitCode
        self.conditionMet = conditionMet
    }
}
