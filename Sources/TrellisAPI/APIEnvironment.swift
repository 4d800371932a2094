import Foundation
import TrellisCore

/// What the API reads and acts through: all protocols of TrellisCore, so the server never
/// depends on the engine or the store's internals.
public struct APIEnvironment: Sendable {
    public var catalog: any DAGCatalog
    public var runs: any RunReader
    public var locking: any RunLocking
    public var repairer: any RunRepairing
    public var control: any RunControl
    /// Creates, replaces, deletes, renames and suspends DAG files.
    public var files: any DAGFileWriting
    /// Enqueue, dequeue and queue state (format §14); set by the composition.
    public var queueing: RunQueueing? = nil
    /// The Markdown documents of `docs_dir` (API §5.4, §5.5); nil = no documents.
    public var docs: (any DocumentLibrary)? = nil
    /// The exposition of `GET /metrics` (API §3.3); set by the composition.
    public var metrics: (any MetricsExposing)? = nil
    /// The event log (API §8); `nil` when `events.enabled` is false (→ 503).
    public var events: (any EventLogReading)? = nil
    /// When the server started (for `uptime`).
    public var startedAt: Date
    public var now: @Sendable () -> Date
    /// `latestDAGRun` of `GET /dags` between requests.
    let latestSummaries = LatestRunSummaries()
    /// `nextRun` of `GET /dags` between requests.
    let nextRuns = NextRunCache()
    /// The catalog sorted for `GET /dags`, per catalog generation.
    let catalogIndex = CatalogListIndex()

    public init(catalog: any DAGCatalog, runs: any RunReader, locking: any RunLocking, repairer: any RunRepairing,
                control: any RunControl, files: any DAGFileWriting, startedAt: Date = Date(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.catalog = catalog
        self.runs = runs
        self.locking = locking
        self.repairer = repairer
        self.control = control
        self.files = files
        self.startedAt = startedAt
        self.now = now
    }

    /// The latest snapshot of a run, repaired first when its agent is dead (§16.2).
    func snapshot(of run: RunRef) throws -> RunSnapshot? {
        if let repaired = try? repairer.repairIfDead(run) { return repaired }
        return try runs.latestSnapshot(of: run)
    }
}
