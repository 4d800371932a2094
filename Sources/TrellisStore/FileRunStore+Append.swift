import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

extension FileRunStore {
    /// Appends `snapshot` to the run's latest attempt with one `write()` under the file's lock;
    /// `.synced` fsyncs before returning, `.batched` leaves it to the background flusher.
    /// An empty `attemptId` means the latest attempt; another attempt's ID is refused.
    public func append(_ snapshot: RunSnapshot, durability: Durability) throws(StoreError) {
        let state = appendState.withLock { states in
            if states.count >= Self.knownStatusLimit, states[snapshot.run] == nil { states.removeAll(keepingCapacity: true) }
            if let state = states[snapshot.run] { return state }
            let state = AppendState()
            states[snapshot.run] = state
            return state
        }
        let target: (id: String, statusPath: String)
        if let id = state.attemptId, let path = state.statusPath, snapshot.attemptId.isEmpty || snapshot.attemptId == id {
            target = (id, path)
        } else {
            let runDirectory = try requireRunDirectory(snapshot.run)
            guard let attempt = try AttemptFolder.latest(in: runDirectory) else {
                throw StoreError(.notFound, "run \(snapshot.run) has no attempt", path: runDirectory + "/attempts")
            }
            target = (attempt.id, attempt.statusPath)
        }
        var stored = snapshot
        if stored.attemptId.isEmpty { stored.attemptId = target.id }
        guard stored.attemptId == target.id else {
            throw StoreError(.invalid, "snapshot of attempt \(stored.attemptId) of run \(snapshot.run), but the latest attempt is \(target.id)",
                             path: target.statusPath)
        }
        let line = appendState.withLock { _ in Data(state.encoder.line(stored)) }
        let previous = try appendSnapshotLine(stored, line: line, to: target.statusPath, durability: durability)
        let finished = stored.status.hasEnded
        if durability == .synced, finished {
            compactFinishedAttempt(target.statusPath, lastLine: line)
        }
        // Compared by identity: the cached object itself may not cross into the lock's region.
        let identity = ObjectIdentifier(state)
        appendState.withLock { states in
            state.attemptId = target.id
            state.statusPath = target.statusPath
            // A finished attempt is rarely appended to again; its encoder's cached node bytes
            // would otherwise stay until the cache is full. A later append reads the folder.
            if finished, let current = states[snapshot.run], ObjectIdentifier(current) == identity {
                states[snapshot.run] = nil
            }
        }
        recordLifecycle(stored, previous: previous, startsAttempt: false, durability: durability)
    }

    /// A finished attempt's `status.jsonl` is compacted to its last line (§17.1) once it has
    /// grown past ``compactionThreshold``: temp file, fsync, rename. Best effort — the appended
    /// line is already durable, so a failure only leaves the longer file.
    func compactFinishedAttempt(_ path: String, lastLine: Data) {
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) > Self.compactionThreshold else { return }
        do {
            try Posix.replaceFile(path, with: lastLine)
        } catch {
            logger.warning("cannot compact a finished attempt", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// Status files smaller than this are left as they are when the attempt finishes.
    static var compactionThreshold: Int { 256 * 1024 }

    /// Forgets the cached attempt of a run (a new attempt was started).
    func forgetAppendState(_ run: RunRef) {
        appendState.withLock { $0[run] = nil }
    }

    /// Writes `outputs.json` atomically (temp file, fsync, rename), keys in the given order.
    /// A run with no output and no earlier `outputs.json` gets none: readers take a missing file
    /// as `{}`, and skipping it spares the run's end a file sync, which waits for the journal to
    /// commit every log file the run created (docs/SPEC-DECISIONS.md).
    public func writeOutputs(_ outputs: [(String, String)], for run: RunRef) throws(StoreError) {
        let path = try requireRunDirectory(run) + "/outputs.json"
        var info = stat()
        if outputs.isEmpty && stat(path, &info) != 0 && errno == ENOENT { return }
        let object = JSONObject(outputs.map { ($0.0, JSONValue.string($0.1)) })
        try Posix.replaceFile(path, with: Data((JSONValue.object(object).serialized() + "\n").utf8))
    }

    /// The run's `outputs.json` in order; `nil` when it was never written.
    public func outputs(of run: RunRef) throws(StoreError) -> [(String, String)]? {
        let path = try requireRunDirectory(run) + "/outputs.json"
        guard let data = try Posix.readFile(path) else { return nil }
        guard case .object(let object)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)) else {
            throw StoreError(.corrupt, "outputs of run \(run) are not a JSON object", path: path)
        }
        return object.entries.map { ($0.key, $0.value.stringValue ?? $0.value.serialized()) }
    }

    /// Fsyncs every batched append now.
    public func flush() throws(StoreError) {
        try batcher.syncAll()
    }

    /// Appends one snapshot line to `path` under its lock; returns the status of the line before
    /// it (from this instance's cache while the file has not changed since, else from the file).
    @discardableResult
    func appendSnapshotLine(_ snapshot: RunSnapshot, line given: Data? = nil, to path: String, durability: Durability) throws(StoreError) -> RunStatus? {
        let line: Data
        if let given { line = given } else { line = try StoreJSON.line(snapshot, path: path) }
        var file = try LockedAppendFile(path: path, logger: logger)
        let sizeBefore = file.size
        let previous: RunStatus?
        if let known = lastStatus.withLock({ $0[snapshot.run] }), known.statusFile == path, known.size == sizeBefore {
            previous = known.status
        } else {
            previous = try file.lastRecord(StatusField.self)?.status
        }
        try file.append(line)
        let known = KnownStatus(statusFile: path, size: file.size, status: snapshot.status)
        lastStatus.withLock { cache in
            // A finished run is rarely appended to again (a retry reads its last line once):
            // the cache holds the runs in flight, not every run this process has seen.
            guard !snapshot.status.hasEnded else {
                cache[snapshot.run] = nil
                return
            }
            if cache.count >= Self.knownStatusLimit, cache[snapshot.run] == nil { cache.removeAll(keepingCapacity: true) }
            cache[snapshot.run] = known
        }
        try finish(file, path: path, durability: durability)
        return previous
    }

    /// Unlocks an appended file, then fsyncs it now or hands it to the flusher.
    func finish(_ file: consuming LockedAppendFile, path: String, durability: Durability) throws(StoreError) {
        let fd = file.unlock()
        switch durability {
        case .synced:
            defer { Glibc.close(fd) }
            try Posix.sync(fd, path: path)
        case .batched:
            batcher.adopt(fd, path: path)
        }
    }

    /// Adds index lines when a root run's status changed to a lifecycle status (§17.2): queued,
    /// running or final; `not_started` too when an attempt starts. An index failure is logged:
    /// the run folder is the truth and the index can be rebuilt from it.
    func recordLifecycle(_ snapshot: RunSnapshot, previous: RunStatus?, startsAttempt: Bool, durability: Durability) {
        // A new attempt's first snapshot is a copy of the previous attempt's last one (a retry):
        // it is an event only when it says queued or running, never a repeat of the old outcome.
        if !startsAttempt {
            recordEvent(snapshot, previous: previous, durability: durability)
        } else if snapshot.status.isActive {
            recordEvent(snapshot, previous: nil, durability: durability)
        }
        let status = snapshot.status
        let lifecycle = status == .queued || status == .running || status.isFinalForIndex
            || (startsAttempt && status == .notStarted)
        guard snapshot.parent == nil, lifecycle, previous != status else { return }
        do {
            try appendIndexLines(for: snapshot, durability: durability)
        } catch {
            logger.error("cannot update the run index", metadata: [
                "dag.name": "\(snapshot.run.name)", "run.id": "\(snapshot.run.id)", "error": "\(error)",
            ])
        }
    }

    /// Appends the run's index line to its DAG's day index and the global day index (root runs
    /// only; sub-DAG runs are not listed).
    func appendIndexLines(for snapshot: RunSnapshot, durability: Durability) throws(StoreError) {
        guard snapshot.parent == nil else { return }
        let entry = RunIndexEntry(runId: snapshot.run.id, dag: snapshot.run.name, status: snapshot.status,
                                  createdAt: snapshot.createdAt, startedAt: snapshot.startedAt,
                                  finishedAt: snapshot.finishedAt, triggerType: snapshot.triggerType,
                                  labels: snapshot.labels)
        let day = UTCDay.day(snapshot.createdAt)
        for path in [layout.dagIndexPath(dag: snapshot.run.name, day: day), layout.globalIndexPath(day: day)] {
            var file = try LockedAppendFile(path: path, logger: logger)
            try file.append(StoreJSON.line(entry, path: path))
            try finish(file, path: path, durability: durability)
        }
    }
}

extension RunStatus {
    /// A status that ends an attempt: failed, aborted, succeeded, partially succeeded, rejected.
    var isFinalForIndex: Bool { endsAttempt }
}
