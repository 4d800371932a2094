/// Renders the metrics exposition of `GET /metrics` (API §3.3).
public protocol MetricsExposing: Sendable {
    /// The Prometheus text format body.
    func exposition() -> String
}
