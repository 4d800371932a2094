import Foundation

/// What the run store tells `GET /metrics` (API §3.3) at one scrape.
public struct RunMetricsSample: Sendable, Hashable {
    /// Root runs created today (UTC) by current status: the fold of today's global day index.
    public var todayByStatus: [RunStatus: Int]
    /// The same per DAG name.
    public var todayByDAG: [String: [RunStatus: Int]]
    /// Root runs whose run lock is held, by DAG name.
    public var runningByDAG: [String: Int]
    /// Runs waiting in a queue (open or claimed, not yet started), by DAG name.
    public var queuedByDAG: [String: Int]
    /// Whether some process holds the scheduler lock.
    public var schedulerRunning: Bool
    /// Runs that finished since the previous sample (each finish once): DAG name and
    /// `finishedAt − startedAt` in seconds.
    public var finishedDurations: [Observation]
    /// Dispatched runs that started since the previous sample: DAG name and
    /// `startedAt − queuedAt` in seconds.
    public var queueWaits: [Observation]

    /// One value to add to a histogram.
    public struct Observation: Sendable, Hashable {
        public var dag: String
        public var seconds: Double

        public init(dag: String, seconds: Double) {
            self.dag = dag
            self.seconds = seconds
        }
    }

    public init(todayByStatus: [RunStatus: Int] = [:], todayByDAG: [String: [RunStatus: Int]] = [:],
                runningByDAG: [String: Int] = [:], queuedByDAG: [String: Int] = [:], schedulerRunning: Bool = false,
                finishedDurations: [Observation] = [], queueWaits: [Observation] = []) {
        self.todayByStatus = todayByStatus
        self.todayByDAG = todayByDAG
        self.runningByDAG = runningByDAG
        self.queuedByDAG = queuedByDAG
        self.schedulerRunning = schedulerRunning
        self.finishedDurations = finishedDurations
        self.queueWaits = queueWaits
    }
}
