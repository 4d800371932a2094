import Foundation

/// How soon an appended snapshot must survive power loss (§17.1).
public enum Durability: Sendable, Hashable {
    /// Written with one `write()` at once (survives a crash of any process); `fsync` is batched
    /// off the caller's path, at least every 200 ms while anything is unsynced.
    case batched
    /// `fsync`ed before the call returns: for records that acknowledge something to a client
    /// and for terminal snapshots.
    case synced
}

/// Creates runs and appends their state. Implementations serialize writers per run.
public protocol RunWriter: Sendable {
    /// Creates a run: header, verbatim spec, first attempt with `initial`, index entries.
    /// Throws ``StoreError/Code/runExists`` when the run ID is taken for that DAG name.
    /// Returns the first snapshot as stored (attempt ID and log path filled in).
    @discardableResult
    func createRun(_ header: RunHeader, spec: String, initial: RunSnapshot) throws(StoreError) -> RunSnapshot
    /// Starts a new attempt of an existing run (retry) whose first snapshot is `initial`
    /// (its `attemptId` is replaced by the new attempt's); returns the stored snapshot.
    func startAttempt(_ initial: RunSnapshot) throws(StoreError) -> RunSnapshot
    /// Appends a full snapshot to the run's latest attempt and updates the indexes on
    /// lifecycle changes (queued, running, terminal).
    func append(_ snapshot: RunSnapshot, durability: Durability) throws(StoreError)
    /// Writes `outputs.json` (keys already camelCased, in order).
    func writeOutputs(_ outputs: [(String, String)], for run: RunRef) throws(StoreError)
    /// Makes every batched append durable now.
    func flush() throws(StoreError)
}

/// Reads runs. Readers take the last complete line and ignore a torn one.
public protocol RunReader: Sendable {
    func header(of run: RunRef) throws(StoreError) -> RunHeader?
    /// The DAG text the run was created from.
    func spec(of run: RunRef) throws(StoreError) -> String?
    /// The latest attempt's last complete snapshot.
    func latestSnapshot(of run: RunRef) throws(StoreError) -> RunSnapshot?
    /// Root runs newest first (creation time desc, then name asc, then ID asc), optionally of one
    /// DAG name, one page at a time; `cursor` is the previous page's `nextCursor`. O(page).
    func runs(dagName: String?, limit: Int, cursor: String?) throws(StoreError) -> RunPage
    /// The newest root run of a DAG name as its day index last recorded it — an active status is
    /// not confirmed against the run (the caller checks liveness). Cheap to call per request:
    /// implementations may cache it as long as they notice every change.
    func latestIndexEntry(dagName: String) throws(StoreError) -> RunIndexEntry?
}

extension RunReader {
    public func latestIndexEntry(dagName: String) throws(StoreError) -> RunIndexEntry? {
        try runs(dagName: dagName, limit: 1, cursor: nil).entries.first
    }
}

/// One page of run history.
public struct RunPage: Sendable, Hashable {
    public var entries: [RunIndexEntry]
    /// Opaque; `nil` on the last page.
    public var nextCursor: String?

    public init(entries: [RunIndexEntry], nextCursor: String?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }
}

/// A line of a day index (§17.2): the short summary of a run at one lifecycle change.
public struct RunIndexEntry: Sendable, Hashable, Codable {
    public var runId: String
    public var dag: String
    public var status: RunStatus
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var triggerType: TriggerType
    public var labels: [String]

    public init(runId: String, dag: String, status: RunStatus, createdAt: Date, startedAt: Date? = nil,
                finishedAt: Date? = nil, triggerType: TriggerType, labels: [String] = []) {
        self.runId = runId
        self.dag = dag
        self.status = status
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.triggerType = triggerType
        self.labels = labels
    }

    public var run: RunRef { RunRef(name: dag, id: runId) }
}

/// Liveness by lock (§16): the run agent holds its run's lock for the whole attempt.
public protocol RunLocking: Sendable {
    /// Takes the run's lock without waiting; `nil` when another holder has it (the run is alive).
    func tryLock(_ run: RunRef) throws(StoreError) -> (any RunLock)?
}

/// A held run lock; released explicitly or when the process dies.
public protocol RunLock: Sendable {
    func release()
}

/// Where a run's files are: the run agent works with real paths (logs, work dir, cancel file).
public protocol RunFiles: Sendable {
    func paths(of run: RunRef, attemptId: String) -> RunPaths
}

/// The paths of one run attempt (§17).
public struct RunPaths: Sendable, Hashable {
    /// The run folder.
    public var runDirectory: String
    /// `DAG_RUN_WORK_DIR`.
    public var workDirectory: String
    /// `run.log`, shared by the attempts.
    public var runLog: String
    /// Present = stop requested.
    public var cancelRequest: String
    /// The attempt's `steps/` folder for step logs.
    public var stepLogDirectory: String
    /// Sub-DAG runs live under here.
    public var childrenDirectory: String

    public init(runDirectory: String, workDirectory: String, runLog: String, cancelRequest: String,
                stepLogDirectory: String, childrenDirectory: String) {
        self.runDirectory = runDirectory
        self.workDirectory = workDirectory
        self.runLog = runLog
        self.cancelRequest = cancelRequest
        self.stepLogDirectory = stepLogDirectory
        self.childrenDirectory = childrenDirectory
    }
}

/// A store failure with a code, a message naming the run or path, and the cause.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case runExists = "run_exists"
        case notFound = "not_found"
        case io
        case corrupt
        case invalid
    }

    public var code: Code
    public var message: String
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { path.map { "\(message) (\($0))" } ?? message }
}
