import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

extension FileRunStore {
    /// Creates the run (§17): claims the run ID with an `O_EXCL` pointer, writes `run.json`,
    /// `spec.yaml` and the first attempt's first snapshot, then the index lines; all fsynced
    /// before returning. A sub-DAG run goes under its parent's `children/`.
    ///
    /// An empty `initial.attemptId` gets a generated ID and an empty `initial.log` the run log.
    @discardableResult
    public func createRun(_ header: RunHeader, spec: String, initial: RunSnapshot) throws(StoreError) -> RunSnapshot {
        let run = header.run
        forgetAppendState(run)
        guard RunLayout.isSafeName(run.name), RunLayout.isSafeName(run.id) else {
            throw StoreError(.invalid, "run \(run) has a name or ID that is not a file name")
        }
        guard initial.run == run else {
            throw StoreError(.invalid, "initial snapshot of \(initial.run) does not belong to run \(run)")
        }
        guard initial.attemptId.isEmpty || RunLayout.isSafeName(initial.attemptId) && !initial.attemptId.contains("_") else {
            throw StoreError(.invalid, "attempt ID \(initial.attemptId) of run \(run) is not a file name")
        }
        let runDirectory = if let parent = header.parent {
            try requireRunDirectory(parent) + "/children/" + run.id
        } else {
            layout.rootRunDirectory(run, day: UTCDay.day(header.createdAt))
        }
        try claimRunID(run, runDirectory: runDirectory)
        do {
            let stored = try buildRunFolder(header, spec: spec, initial: initial, runDirectory: runDirectory)
            try appendIndexLines(for: stored, durability: .synced)
            recordEvent(stored, previous: nil, durability: .synced)
            return stored
        } catch {
            unlink(layout.pointerPath(run))
            if error.code != .runExists { try? FileManager.default.removeItem(atPath: runDirectory) }
            throw error
        }
    }

    /// Starts a new attempt folder whose first snapshot is `initial` with the new attempt's ID;
    /// removes `cancel-requested`. Synced: a retry is acknowledged to a client.
    public func startAttempt(_ initial: RunSnapshot) throws(StoreError) -> RunSnapshot {
        forgetAppendState(initial.run)
        let runDirectory = try requireRunDirectory(initial.run)
        let previous = try AttemptFolder.latest(in: runDirectory)
        var previousStatus: RunStatus?
        if let previous {
            previousStatus = try LineScanner.lastRecord(StatusField.self, inFileAt: previous.statusPath)?.status
        }
        let attempt = try AttemptFolder.next(in: runDirectory, now: now(), id: AttemptFolder.makeID())
        try Posix.makeDirectories(attempt.stepsDirectory)
        try Posix.makeDirectories(runDirectory + "/work")
        let cancel = runDirectory + "/cancel-requested"
        if unlink(cancel) != 0 && errno != ENOENT { throw Posix.failure("remove cancel request", cancel) }
        var stored = initial
        stored.attemptId = attempt.id
        if stored.log.isEmpty { stored.log = runDirectory + "/run.log" }
        try appendSnapshotLine(stored, to: attempt.statusPath, durability: .synced)
        try Posix.syncDirectory(runDirectory + "/attempts")
        recordLifecycle(stored, previous: previousStatus, startsAttempt: true, durability: .synced)
        return stored
    }

    /// Creates `by-id/<run-id>` with `O_EXCL` and writes the run folder's relative path in it.
    private func claimRunID(_ run: RunRef, runDirectory: String) throws(StoreError) {
        let directory = layout.pointerDirectory(run.name)
        try Posix.makeDirectories(directory)
        let path = layout.pointerPath(run)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw StoreError(.runExists, "run \(run) already exists", path: path) }
            throw Posix.failure("create run pointer", path)
        }
        defer { Glibc.close(fd) }
        do {
            try Posix.writeAll(fd, Data((layout.pointerContent(for: runDirectory) + "\n").utf8), path: path)
            try Posix.sync(fd, path: path)
            try Posix.syncDirectory(directory)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Writes the run folder; returns the stored first snapshot.
    private func buildRunFolder(_ header: RunHeader, spec: String, initial: RunSnapshot,
                                runDirectory: String) throws(StoreError) -> RunSnapshot {
        let parent = (runDirectory as NSString).deletingLastPathComponent
        try Posix.makeDirectories(parent)
        var made = mkdir(runDirectory, 0o755) == 0
        if !made && errno == ENOENT {
            // Retention removed the empty day folder meanwhile: make it again, once.
            try Posix.makeDirectories(parent)
            made = mkdir(runDirectory, 0o755) == 0
        }
        guard made else {
            if errno == EEXIST {
                throw StoreError(.runExists, "run \(header.run) already has a folder", path: runDirectory)
            }
            throw Posix.failure("create run folder", runDirectory)
        }
        let attemptId = initial.attemptId.isEmpty ? AttemptFolder.makeID() : initial.attemptId
        let attempt = try AttemptFolder.next(in: runDirectory, now: now(), id: attemptId)
        try Posix.makeDirectories(runDirectory + "/work")
        try Posix.makeDirectories(runDirectory + "/children")
        try Posix.makeDirectories(attempt.stepsDirectory)
        try writeNewFile(runDirectory + "/run.json", StoreJSON.line(header, path: runDirectory + "/run.json"))
        try writeNewFile(runDirectory + "/spec.yaml", Data(spec.utf8))
        var stored = initial
        stored.attemptId = attempt.id
        if stored.log.isEmpty { stored.log = runDirectory + "/run.log" }
        try appendSnapshotLine(stored, to: attempt.statusPath, durability: .synced)
        for directory in [attempt.directory, runDirectory + "/attempts", runDirectory, parent] {
            try Posix.syncDirectory(directory)
        }
        return stored
    }

    /// Creates a file that must not exist yet, writes it and fsyncs it.
    private func writeNewFile(_ path: String, _ data: Data) throws(StoreError) {
        let fd = try Posix.open(path, O_WRONLY | O_CREAT | O_EXCL, action: "create file")
        defer { Glibc.close(fd) }
        try Posix.writeAll(fd, data, path: path)
        try Posix.sync(fd, path: path)
    }
}
