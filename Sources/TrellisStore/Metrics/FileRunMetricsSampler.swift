import Foundation
import Synchronization
import TrellisCore

/// Samples the file store for `GET /metrics` (API §3.3), cheaply enough for every scrape:
///
/// - **Today's counters** are the fold of today's global day index (`data/index/<UTC day>.jsonl`),
///   last line per run wins, so they are right after a restart. The fold is kept with the file's
///   identity and offset: an unchanged file costs one `stat`, a grown one only its new lines.
/// - **Running** runs are the root runs whose `run.lock` some process holds, checked in
///   `/proc/locks` without taking the lock. Candidates: today's and yesterday's runs whose status
///   says active, and the claimed and running items of the queue files.
/// - **Queued** runs are the open items of the queue files and the claimed ones still `queued`.
/// - **Scheduler running**: some process holds `data/scheduler/scheduler.lock` (same probe).
/// - **Histogram observations** come from the lines appended to any global day index file after
///   the sampler was created (each file is followed from its size at that moment; files created
///   later from their start): a line that ends an attempt gives its duration, a `running` line of a
///   run whose snapshot has a `queuedAt` gives its queue wait. Each line is read once, and a
///   finish or start already observed is not observed again.
public final class FileRunMetricsSampler: RunMetricsSampling {
    private let store: FileRunStore
    private let queues: any QueueStore
    private let schedulerLockPath: String
    private let locksPath: String
    private let createdAt: Date
    private let state: Mutex<State>

    /// Beyond this many runs the "already observed" memory starts over.
    static let observedLimit = 50_000

    private struct DayFold {
        var tail: IndexFileTail
        var tally = RunCountTally()
    }

    private struct State {
        /// Today's and yesterday's folds, by `YYYY-MM-DD`.
        var folds: [String: DayFold] = [:]
        /// Followed global index files, by file name.
        var followed: [String: IndexFileTail] = [:]
        var observedFinishes: [RunRef: Date] = [:]
        var observedStarts: [RunRef: Date] = [:]
    }

    /// - Parameters:
    ///   - store: the run store (its `data/index/` and run folders).
    ///   - queues: the queue files.
    ///   - locksPath: the kernel's lock table.
    ///   - now: the creation time: observations are of lines written after it.
    public init(store: FileRunStore, queues: any QueueStore, locksPath: String = "/proc/locks", now: Date = Date()) {
        self.store = store
        self.queues = queues
        self.locksPath = locksPath
        createdAt = now
        schedulerLockPath = SchedulerLock(dataDirectory: store.dataDirectory).path
        var initial = State()
        let directory = store.layout.globalIndexDirectory
        for name in Self.indexFileNames(in: directory) {
            initial.followed[name] = IndexFileTail.atEnd(of: directory + "/" + name)
        }
        state = Mutex(initial)
    }

    public func sample(now: Date) -> RunMetricsSample {
        let directory = store.layout.globalIndexDirectory
        let today = UTCDay.day(now)
        let yesterday = UTCDay.day(now.addingTimeInterval(-86_400))
        let lockTable = FileLockTable.read(path: locksPath)
        var result = RunMetricsSample()
        var candidates: [RunRef] = []
        state.withLock { state in
            for day in [today, yesterday] {
                var fold = state.folds[day] ?? DayFold(tail: IndexFileTail(path: directory + "/" + day + ".jsonl"))
                if let batch = try? fold.tail.readNew() {
                    if batch.restarted { fold.tally = RunCountTally() }
                    for entry in batch.entries { fold.tally.apply(entry) }
                }
                state.folds[day] = fold
                candidates += fold.tally.activeRuns
            }
            state.folds = state.folds.filter { $0.key == today || $0.key == yesterday }
            if let fold = state.folds[today] {
                result.todayByStatus = fold.tally.countsByStatus
                result.todayByDAG = fold.tally.countsByDAG
            }
            observe(&state, in: directory, into: &result)
        }
        var queued: [RunRef: Void] = [:]
        for name in (try? queues.queueNames()) ?? [] {
            guard let queue = try? queues.state(of: name) else { continue }
            for item in queue.open { queued[item.run] = () }
            // A claimed run whose agent already started is no longer waiting.
            for item in queue.claimed where (try? store.latestSnapshot(of: item.run))?.status == .queued {
                queued[item.run] = ()
            }
            candidates += (queue.claimed + queue.running).map(\.run)
        }
        for run in queued.keys { result.queuedByDAG[run.name, default: 0] += 1 }
        var seen = Set<RunRef>()
        for run in candidates where seen.insert(run).inserted {
            guard let folder = try? store.layout.resolve(run), lockTable.isLocked(path: folder + "/run.lock") else { continue }
            result.runningByDAG[run.name, default: 0] += 1
        }
        result.schedulerRunning = lockTable.isLocked(path: schedulerLockPath)
        return result
    }

    /// Reads the new lines of every followed index file and turns them into observations.
    private func observe(_ state: inout State, in directory: String, into result: inout RunMetricsSample) {
        let names = Self.indexFileNames(in: directory)
        state.followed = state.followed.filter { names.contains($0.key) }
        if state.observedFinishes.count > Self.observedLimit { state.observedFinishes.removeAll() }
        if state.observedStarts.count > Self.observedLimit { state.observedStarts.removeAll() }
        for name in names.sorted() {
            var tail = state.followed[name] ?? IndexFileTail(path: directory + "/" + name)
            guard let batch = try? tail.readNew() else { continue }
            state.followed[name] = tail
            for entry in batch.entries {
                // A rewritten file is read again from its start: only what happened since counts.
                if batch.restarted, (entry.finishedAt ?? entry.startedAt ?? .distantPast) < createdAt { continue }
                if let seconds = RunTimingRules.duration(of: entry), let finished = entry.finishedAt,
                   state.observedFinishes[entry.run] != finished {
                    state.observedFinishes[entry.run] = finished
                    result.finishedDurations.append(.init(dag: entry.dag, seconds: seconds))
                }
                if entry.status == .running, let started = entry.startedAt, state.observedStarts[entry.run] != started,
                   let seconds = RunTimingRules.queueWait(of: entry, snapshot: try? store.latestSnapshot(of: entry.run)) {
                    state.observedStarts[entry.run] = started
                    result.queueWaits.append(.init(dag: entry.dag, seconds: seconds))
                }
            }
        }
    }

    /// `YYYY-MM-DD.jsonl` names in the global index folder.
    private static func indexFileNames(in directory: String) -> Set<String> {
        let names = (try? Posix.list(directory)) ?? []
        return Set(names.filter { $0.hasSuffix(".jsonl") && UTCDay.dayNumber(String($0.dropLast(6))) != nil })
    }
}
