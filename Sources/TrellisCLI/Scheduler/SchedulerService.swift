import Foundation
import Logging
import TrellisCatalog
import TrellisCore
import TrellisStore

/// The scheduler's tick loop (§15.2): waits for leadership, then at each wall-clock minute
/// boundary plans the tick with ``TickPlanner``, writes the new state, and dispatches.
///
/// The clock (`now`) and the sleep are injected; tests drive ``tick(at:)`` directly.
struct SchedulerService: Sendable {
    let catalog: any DAGCatalog
    let runs: any RunReader
    /// Repairs dead runs found by the guards (§16.2), so a crashed agent never blocks its DAG.
    let repairer: (any RunRepairing)?
    let control: any RunControl
    let queueing: RunQueueing
    let stateFile: SchedulerStateFile
    let lock: SchedulerLock
    /// The declared global queues (§14.1).
    let globalQueues: [QueueConfig]
    /// The configured `tz`, else the system zone.
    let zone: TimeZone
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    /// Called once leadership is taken.
    let onLeader: @Sendable () -> Void
    /// Services that run only while this scheduler leads (the queue dispatcher, the dead-run
    /// sweep), beside the tick loop, until cancelled.
    let leaderServices: [@Sendable () async throws -> Void]

    init(catalog: any DAGCatalog, runs: any RunReader, repairer: (any RunRepairing)?, control: any RunControl,
         queueing: RunQueueing, stateFile: SchedulerStateFile, lock: SchedulerLock, globalQueues: [QueueConfig],
         zone: TimeZone, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
         sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
         onLeader: @escaping @Sendable () -> Void = {}, leaderServices: [@Sendable () async throws -> Void] = []) {
        self.catalog = catalog
        self.runs = runs
        self.repairer = repairer
        self.control = control
        self.queueing = queueing
        self.stateFile = stateFile
        self.lock = lock
        self.globalQueues = globalQueues
        self.zone = zone
        self.logger = logger
        self.now = now
        self.sleep = sleep
        self.onLeader = onLeader
        self.leaderServices = leaderServices
    }

    /// Waits for the scheduler lock, then ticks at every minute boundary until cancelled; the
    /// lock is released on the way out.
    func run() async throws {
        let logger = logger
        let lockPath = lock.path
        do {
            try await lock.acquire(onStandby: {
                logger.info("another scheduler holds the lock; waiting as standby", metadata: ["lock": "\(lockPath)"])
            })
        } catch is CancellationError {
            return
        }
        defer { lock.release() }
        logger.info("scheduler is the leader", metadata: ["lock": "\(lockPath)"])
        onLeader()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in leaderServices {
                group.addTask { try await service() }
            }
            group.addTask { await tickLoop() }
            try await group.waitForAll()
        }
    }

    /// Ticks at every minute boundary until cancelled.
    private func tickLoop() async {
        while !Task.isCancelled {
            let before = now()
            let due = TickClock.nextMinute(after: before)
            do {
                try await sleep(TickClock.delay(untilNextMinuteAfter: before))
            } catch {
                return
            }
            let woke = now()
            if TickClock.isLate(tickFor: due, wokeAt: woke) {
                logger.warning("tick is more than a minute late; evaluating the current minute only",
                               metadata: ["tick.due": "\(ScheduleTimeText.format(due))", "tick.now": "\(ScheduleTimeText.format(woke))"])
            }
            await tick(at: woke)
        }
    }

    /// What one tick did.
    struct TickReport: Sendable, Hashable {
        var minute: Date
        /// Runs started directly.
        var started: [RunRef] = []
        /// Runs enqueued on a global queue.
        var enqueued: [RunRef] = []
        /// Runs a stop schedule asked to stop.
        var stopped: [RunRef] = []
        /// Planned starts that did not happen (already existing one-offs, failed launches).
        var failed: [String] = []
    }

    /// Evaluates the minute containing `date`: builds the inputs, plans, writes the new state
    /// before dispatching (a crash never repeats a slot; the `scheduleTime` guard covers the
    /// rest), then dispatches the starts and stops.
    @discardableResult
    func tick(at date: Date) async -> TickReport {
        let minute = TickClock.minute(containing: date)
        let entries = entriesWithCurrentSuspendFlags()
        let state = loadState()
        let previous = state.lastTick.flatMap { $0 <= minute ? $0 : nil }
        let plan = TickPlanner().plan(tick: minute, previousTick: previous, entries: entries, state: state,
                                      latestRuns: latestRuns(for: entries), globalQueues: Set(globalQueues.map(\.name)),
                                      zone: zone)
        do {
            try stateFile.save(plan.newState)
        } catch {
            logger.error("cannot write the scheduler state", metadata: ["path": "\(stateFile.path)", "error": "\(error)"])
        }
        var report = TickReport(minute: plan.minute)
        logger.debug("tick", metadata: ["tick.minute": "\(ScheduleTimeText.format(minute))",
                                        "tick.starts": "\(plan.starts.count)", "tick.stops": "\(plan.stops.count)"])
        await withTaskGroup(of: (PlannedStart, DispatchOutcome).self) { group in
            for start in plan.starts {
                group.addTask { (start, await dispatch(start, entries: entries)) }
            }
            for await (start, outcome) in group {
                switch outcome {
                case .started(let run): report.started.append(run)
                case .enqueued(let run): report.enqueued.append(run)
                case .failed(let message): report.failed.append("\(start.dagName): \(message)")
                }
            }
        }
        for dagName in plan.stops {
            report.stopped += stopRunning(dagName)
        }
        return report
    }

    /// The catalog's entries with each suspend flag read from the disk (§15.3): the catalog only
    /// follows the DAGs directory, so a suspend or resume written by another process (the API of
    /// a separate `trellis server`) would otherwise not count until the next rescan.
    private func entriesWithCurrentSuspendFlags() -> [CatalogEntry] {
        guard let files = catalog as? FileDAGCatalog else { return catalog.entries() }
        return files.entries().map { entry in
            var entry = entry
            entry.suspended = files.isSuspended(fileName: entry.fileName)
            return entry
        }
    }

    /// The state file's state; a corrupt file is logged and replaced by a fresh state (§15.4).
    private func loadState() -> SchedulerState {
        do {
            switch try stateFile.read() {
            case .missing: return SchedulerState()
            case .valid(let state): return state
            case .corrupt(let problem):
                logger.warning("scheduler state file is corrupt; starting from a fresh state",
                               metadata: ["path": "\(stateFile.path)", "error": "\(problem)"])
                return SchedulerState()
            }
        } catch {
            logger.error("cannot read the scheduler state; starting from a fresh state",
                         metadata: ["path": "\(stateFile.path)", "error": "\(error)"])
            return SchedulerState()
        }
    }
}
