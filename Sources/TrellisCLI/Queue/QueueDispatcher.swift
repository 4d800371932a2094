import Foundation
import Logging
import Synchronization
import TrellisCatalog
import TrellisCore
import TrellisEngine
import TrellisStore
import TrellisWatcher

/// The scheduler's queue dispatcher (§14.2, §14.3): starts queued runs into free slots.
///
/// A pass reads every queue file, counts each queue's live runs (root runs whose latest
/// snapshot says `running` and whose lock is held — dead ones are repaired on the way, and
/// direct starts count), then, under each queue file's lock, asks ``DispatchPlanner`` what to do
/// and appends its records: `claim` (with a new token) for the runs to start, `drop`/`done` for
/// the items it settles. Each claimed run is started by its own child task through
/// ``QueuedRunStarting`` (a detached `trellis start --queued --claim <token>` agent, fenced by
/// the token: ``QueuedStartFence``); a start that fails — spawn error, agent exited before
/// taking the lock, or no `running` within 10 s — marks the run `failed` with that error and
/// drops it with a `drop` carrying the error. It is never retried.
///
/// Passes run at once when a queue file changes (inotify on `data/queues/`: an enqueue, or the
/// `done` a finished run appends), when a start ends, and every `passInterval` (5 s) anyway.
/// ``run()`` returns when its task is cancelled; agents already started keep running, and a
/// claim whose start was in flight is settled by the next dispatcher's pass: once it is older
/// than the claim timeout while its run is still `queued` and its run lock is free, the claim
/// is reopened and the run claimed again with a new token (an agent of the old claim that comes
/// late loses the fence); after ``DispatchPlanner/maxReopens`` reopens the run is failed.
///
/// Run it in one process per data directory — the scheduler that holds the scheduler lock.
public struct QueueDispatcher: Sendable {
    let store: any RunReader & RunWriter & RunLocking
    let queues: FileQueueStore
    let catalog: FileDAGCatalog
    let globalQueues: [QueueConfig]
    let starter: any QueuedRunStarting
    let planner: DispatchPlanner
    let reaper: DeadRunReaper
    let recent: RecentActiveRuns
    let passInterval: Duration
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// - Parameters:
    ///   - store: the run store (the file store: liveness is its run lock).
    ///   - queues: the queue files; their folder is watched.
    ///   - catalog: the DAGs, for `max_active_runs` of a DAG's own queue and the suspend flags
    ///     (read from the disk, so a suspend by another process counts at once).
    ///   - globalQueues: the declared global queues (config `queues`).
    ///   - starter: starts claimed runs (``DetachedQueuedRunStarter``, or the scheduler's
    ///     ``DetachedRunControl``).
    ///   - passInterval: the longest pause between passes (5 s).
    ///   - claimTimeout: how old a claim that no start of this dispatcher covers may get while its
    ///     run stays `queued` before it is reopened (a dispatcher that died mid-start); above the
    ///     starter's own 10 s so that a live dispatcher's start always settles first.
    ///   - maxReopens: how many times one item's lost claims are reopened before its run is
    ///     failed instead (2).
    ///   - liveRunWindow: how far back, by creation time, the run listing is searched for live
    ///     runs (2 days); claimed items are checked whatever their age.
    ///   - now: the clock of records, claims and repairs.
    ///   - sleep: how the pause between passes is waited (tests inject their own).
    public init(store: any RunReader & RunWriter & RunLocking, queues: FileQueueStore, catalog: FileDAGCatalog,
                globalQueues: [QueueConfig], starter: any QueuedRunStarting, logger: Logger,
                passInterval: Duration = .seconds(5), claimTimeout: TimeInterval = 15, maxReopens: Int = 2,
                liveRunWindow: TimeInterval = 2 * 86_400,
                now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.store = store
        self.queues = queues
        self.catalog = catalog
        self.globalQueues = globalQueues
        self.starter = starter
        planner = DispatchPlanner(claimTimeout: claimTimeout, maxReopens: maxReopens)
        reaper = DeadRunReaper(store: store, queues: queues, now: now, logger: logger)
        recent = RecentActiveRuns(reader: store, window: liveRunWindow)
        self.passInterval = passInterval
        self.now = now
        self.sleep = sleep
        self.logger = logger
    }

    /// A claimed run, its queue and the claim's token.
    struct Claim: Sendable, Hashable {
        var run: RunRef
        var queue: String
        var token: String?
    }

    /// Dispatches until the task is cancelled, then returns. A watcher that cannot be set up is
    /// logged and the dispatcher falls back to its periodic passes; store failures are logged
    /// and retried on the next pass.
    public func run() async throws {
        try? FileManager.default.createDirectory(atPath: queues.directory, withIntermediateDirectories: true)
        let watcher: DirectoryWatcher?
        do {
            watcher = try DirectoryWatcher(directory: queues.directory, debounce: .milliseconds(10), logger: logger,
                                           shouldWatch: { $0.hasSuffix(".jsonl") })
        } catch {
            logger.error("cannot watch the queue folder; dispatching on the periodic pass only",
                         metadata: ["path": "\(queues.directory)", "error": "\(error)"])
            watcher = nil
        }
        defer { watcher?.stop() }
        let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let inFlight = InFlightRuns()
        await withDiscardingTaskGroup { group in
            if let events = watcher?.events() {
                group.addTask {
                    for await _ in events { wake.yield() }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await sleep(passInterval)
                    } catch {
                        return
                    }
                    wake.yield()
                }
            }
            wake.yield()
            for await _ in wakes {
                guard !Task.isCancelled else { break }
                for claim in pass(inFlight: inFlight.runs) {
                    inFlight.insert(claim.run)
                    group.addTask {
                        await start(claim)
                        inFlight.remove(claim.run)
                        wake.yield()
                    }
                }
            }
            group.cancelAll()
        }
    }

    // MARK: - Starting

    /// Starts a claimed run; a failure before start fails the run and drops its item.
    func start(_ claim: Claim) async {
        let metadata: Logger.Metadata = ["dag.name": "\(claim.run.name)", "run.id": "\(claim.run.id)", "queue": "\(claim.queue)"]
        do {
            let snapshot = try await starter.startQueued(claim.run, claim: claim.token)
            logger.info("started a queued run", metadata: metadata.merging(["status": "\(snapshot.status.label)"]) { $1 })
        } catch {
            guard !(error is CancellationError), !Task.isCancelled else { return }
            let message = error is LaunchError ? "cannot start the run agent: \(error)" : "\(error)"
            logger.warning("a queued run failed before it started", metadata: metadata.merging(["error": "\(message)"]) { $1 })
            settleFailedStart(claim, error: message)
        }
    }

    /// §14.3: under the queue's lock, a run whose start failed is marked `failed` with the error
    /// and its item, still claimed by this start, dropped with it. Left alone when the item was
    /// settled or claimed again already, or an agent holds the run's lock after all.
    func settleFailedStart(_ claim: Claim, error message: String) {
        do {
            try queues.update(claim.queue) { state in
                guard let item = state.item(claim.run), item.phase == .claimed, item.token == claim.token else { return ([], ()) }
                guard try markFailedBeforeStart(claim.run, error: message) else { return ([], ()) }
                return ([QueueRecord(.drop, claim.run, at: now(), error: message)], ())
            }
        } catch {
            logger.error("cannot record a failed start", metadata: [
                "dag.name": "\(claim.run.name)", "run.id": "\(claim.run.id)", "queue": "\(claim.queue)", "error": "\(error)",
            ])
        }
    }

    /// Marks a run that failed before it started `failed` with `message` (§14.3), holding its
    /// run lock so that no agent runs it meanwhile. `false` when the lock is held (an agent runs
    /// it after all); `true` when the run was marked, has ended anyway, or is gone.
    func markFailedBeforeStart(_ run: RunRef, error message: String) throws -> Bool {
        let lock: (any RunLock)?
        do {
            lock = try store.tryLock(run)
        } catch {
            if error.code == .notFound { return true }
            throw error
        }
        guard let lock else { return false }
        defer { lock.release() }
        guard var snapshot = try store.latestSnapshot(of: run) else { return true }
        let time = now()
        switch snapshot.status {
        case .queued: break
        // An agent that wrote `running` and was then killed for starting too late.
        case .running, .notStarted: snapshot = DeadRunRepair.repaired(snapshot, now: time)
        default: return true
        }
        snapshot.status = .failed
        snapshot.error = message
        snapshot.finishedAt = time
        try store.append(snapshot, durability: .synced)
        return true
    }
}

/// The runs whose start a dispatcher is waiting for. Counted: one run can have two starts in
/// flight for a moment (the start of a run that ended and was retried at once, whose poll has
/// not seen it yet, and the start of the retry).
final class InFlightRuns: Sendable {
    private let state = Mutex<[RunRef: Int]>([:])

    var runs: Set<RunRef> { state.withLock { Set($0.keys) } }

    func insert(_ run: RunRef) {
        state.withLock { $0[run, default: 0] += 1 }
    }

    func remove(_ run: RunRef) {
        state.withLock { counts in
            guard let count = counts[run] else { return }
            counts[run] = count > 1 ? count - 1 : nil
        }
    }
}
