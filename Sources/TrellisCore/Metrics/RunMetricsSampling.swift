import Foundation

/// Samples the run store for metrics. Each call returns the histogram observations that
/// appeared since the previous call, so one exporter must own the sampler.
public protocol RunMetricsSampling: Sendable {
    func sample(now: Date) -> RunMetricsSample
}
