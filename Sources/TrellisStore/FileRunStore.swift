import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import TrellisCore

/// The run store on plain files (§17): append-only JSONL under `flock`, per-day indexes, and
/// run folders found through `by-id` pointers.
///
/// Several processes may use one data folder at once: every append takes an exclusive `flock`
/// on its file, run-ID uniqueness comes from creating the pointer with `O_EXCL`, and liveness is
/// the run lock. The in-memory state of an instance is only a cache.
public final class FileRunStore: RunWriter, RunReader, RunLocking, RunFiles {
    let layout: RunLayout
    let now: @Sendable () -> Date
    let logger: Logger
    let batcher: FsyncBatcher
    /// Writes lifecycle events (API §8); `nil` when the event log is disabled.
    let events: EventRecorder?
    /// The last status this instance saw per run, with the status file and its size after that
    /// line: valid only while the file still has exactly that size.
    let lastStatus = Mutex<[RunRef: KnownStatus]>([:])

    /// The global index's day files (`YYYY-MM-DD`, newest first) as listed for the latest first
    /// page; later pages of a listing reuse it instead of listing the folder again.
    let globalDays = Mutex<[String]?>(nil)
    /// Per run: the snapshot encoder (it caches unchanged nodes' bytes) and the latest attempt
    /// this instance appended to. Only the run agent holding the run's lock appends, so the
    /// cached attempt stays the latest until this instance starts another one.
    let appendState = Mutex<[RunRef: AppendState]>([:])
    /// Per DAG name: its newest run as the newest day index says, valid while the stamps of the
    /// folders and the index file on the way to it are unchanged (`FileRunStore+Latest`).
    let latestEntries = Mutex<[String: LatestEntry]>([:])
    /// Folded day index files, valid while their stamps are unchanged (``FoldedDayCache``).
    let foldedDays = FoldedDayCache()

    final class AppendState {
        let encoder = SnapshotEncoder()
        var attemptId: String?
        var statusPath: String?
    }

    /// Beyond this many runs the status and append caches start over (they are only
    /// shortcuts). A run agent appends to one run (a few with sub-DAGs); the server appends
    /// once or twice to each run it creates and never sees most of them finish, so a large
    /// limit only kept thousands of stale encoders there (about 3 MiB at 4,096).
    static let knownStatusLimit = 256

    struct KnownStatus {
        var statusFile: String
        var size: Int64
        var status: RunStatus
    }

    /// - Parameters:
    ///   - dataDirectory: the `data/` folder (created on first write).
    ///   - now: the clock, for attempt folder names.
    ///   - logger: receives repairs of torn records and background fsync failures.
    ///   - events: where lifecycle events go and as which component; `nil` writes none.
    public init(dataDirectory: String, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
                events: EventRecorder? = nil) {
        layout = RunLayout(dataDirectory: dataDirectory)
        self.now = now
        self.logger = logger
        self.events = events
        batcher = FsyncBatcher(logger: logger)
    }

    /// The absolute `data/` folder.
    public var dataDirectory: String { layout.dataDirectory }

    /// Stops the background flusher after syncing everything; later batched appends sync at once.
    public func close() {
        batcher.close()
    }

    deinit {
        batcher.close()
    }

    // MARK: - RunFiles

    /// The paths of `run`'s attempt (the latest one for an empty `attemptId`). A run that cannot
    /// be resolved gets paths under `runs/<dag>/unresolved/<run-id>` so callers never write into
    /// another run's folder.
    public func paths(of run: RunRef, attemptId: String) -> RunPaths {
        let runDirectory = (try? layout.resolve(run))
            ?? layout.dagDirectory(run.name) + "/unresolved/" + run.id
        let attempt = (try? AttemptFolder.find(attemptId, in: runDirectory))
            ?? AttemptFolder(name: attemptId.isEmpty ? "unknown" : attemptId, runDirectory: runDirectory)
        return RunPaths(
            runDirectory: runDirectory,
            workDirectory: runDirectory + "/work",
            runLog: runDirectory + "/run.log",
            cancelRequest: runDirectory + "/cancel-requested",
            stepLogDirectory: attempt.stepsDirectory,
            childrenDirectory: runDirectory + "/children"
        )
    }

    // MARK: - RunLocking

    /// Opens `run.lock` and tries `flock(LOCK_EX | LOCK_NB)`; `nil` when another open file
    /// description holds it (in this or another process).
    public func tryLock(_ run: RunRef) throws(StoreError) -> (any RunLock)? {
        let path = try requireRunDirectory(run) + "/run.lock"
        let fd = try Posix.open(path, O_RDWR | O_CREAT, action: "open run lock")
        do {
            guard try Posix.lock(fd, LOCK_EX | LOCK_NB, path: path) else {
                Glibc.close(fd)
                return nil
            }
        } catch {
            Glibc.close(fd)
            throw error
        }
        return FileRunLock(fd: fd, path: path)
    }

    // MARK: - Cancel requests

    /// Asks the run agent to stop: creates `cancel-requested` (§10.2, §17).
    public func requestCancel(_ run: RunRef) throws(StoreError) {
        let path = try requireRunDirectory(run) + "/cancel-requested"
        let fd = try Posix.open(path, O_WRONLY | O_CREAT, action: "create cancel request")
        defer { Glibc.close(fd) }
        try Posix.sync(fd, path: path)
    }

    /// Removes `cancel-requested` (nothing happens when it is absent).
    public func clearCancel(_ run: RunRef) throws(StoreError) {
        let path = try requireRunDirectory(run) + "/cancel-requested"
        if unlink(path) != 0 && errno != ENOENT { throw Posix.failure("remove cancel request", path) }
    }

    /// Whether `cancel-requested` exists for `run`.
    public func isCancelRequested(_ run: RunRef) throws(StoreError) -> Bool {
        Posix.exists(try requireRunDirectory(run) + "/cancel-requested")
    }

    // MARK: - Helpers

    /// The run's folder, or `StoreError.notFound`.
    func requireRunDirectory(_ run: RunRef) throws(StoreError) -> String {
        guard let directory = try layout.resolve(run), Posix.exists(directory + "/run.json") else {
            throw StoreError(.notFound, "run \(run) not found", path: layout.pointerPath(run))
        }
        return directory
    }
}
