import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

extension FileRunStore {
    /// Deletes `dagName`'s runs whose day folder is at least `olderThanDays` days before the
    /// UTC day of `now` (0 = every run), never one whose lock (or a sub-DAG run's lock) is held
    /// or whose status is active or `not_started` (§17.3). Their `by-id` pointers (sub-DAG runs'
    /// too) and per-DAG index lines go with them, then empty day, month and year folders.
    /// Returns the deleted runs, or with `dryRun` the runs that would be deleted. Failures are
    /// logged and the run is kept.
    public func deleteRuns(dagName: String, olderThanDays: Int, now: Date, dryRun: Bool) -> [RunRef] {
        guard RunLayout.isSafeName(dagName), let today = UTCDay.dayNumber(UTCDay.day(now)) else { return [] }
        var deleted: [RunRef] = []
        let dagDirectory = layout.dagDirectory(dagName)
        for year in numberedFolders(dagDirectory, width: 4) {
            var yearIsOld = true
            for month in numberedFolders(dagDirectory + "/" + year, width: 2) {
                var monthIsOld = true
                for day in numberedFolders(dagDirectory + "/" + year + "/" + month, width: 2) {
                    let dayText = year + "-" + month + "-" + day
                    guard let number = UTCDay.dayNumber(dayText), today - number >= max(0, olderThanDays) else {
                        monthIsOld = false
                        continue
                    }
                    deleted += deleteRuns(dagName: dagName, day: dayText, isToday: number == today, dryRun: dryRun)
                }
                // Only folders holding nothing but old days go (rmdir keeps a non-empty one), so
                // a run being created in a new day's folder never loses its parents.
                if monthIsOld && !dryRun { rmdir(dagDirectory + "/" + year + "/" + month) }
                yearIsOld = yearIsOld && monthIsOld
            }
            if yearIsOld && !dryRun { rmdir(dagDirectory + "/" + year) }
        }
        return deleted
    }

    /// Deletes the deletable runs of one day folder, their index lines, and the folder if empty.
    private func deleteRuns(dagName: String, day: String, isToday: Bool, dryRun: Bool) -> [RunRef] {
        let dayDirectory = layout.dayDirectory(dag: dagName, day: day)
        var deleted: [RunRef] = []
        for name in (try? Posix.list(dayDirectory)) ?? [] where RunLayout.isSafeName(name) && !name.contains(".") {
            let run = RunRef(name: dagName, id: name)
            let runDirectory = dayDirectory + "/" + name
            guard isDirectory(runDirectory) else { continue }
            var locks: [any RunLock] = []
            defer { locks.forEach { $0.release() } }
            guard let tree = lockIdleTree(run, runDirectory, keepUnwritten: isToday, holding: &locks) else { continue }
            if dryRun {
                deleted.append(run)
                continue
            }
            for (member, directory) in tree where (try? layout.resolve(member)) == directory {
                unlink(layout.pointerPath(member))
            }
            do {
                try FileManager.default.removeItem(atPath: runDirectory)
                deleted.append(run)
            } catch {
                logger.error("cannot delete an old run", metadata: ["path": "\(runDirectory)", "error": "\(error)"])
            }
        }
        guard !dryRun else { return deleted }
        do {
            let ids = Set(deleted.map(\.id))
            try IndexRewriter(logger: logger).remove(runIds: ids, from: layout.dagIndexPath(dag: dagName, day: day))
            // The global index's lines of these runs go too, so old global day files shrink
            // and disappear with the last run they list.
            try IndexRewriter(logger: logger).remove(runIds: ids, of: dagName, from: layout.globalIndexPath(day: day))
        } catch {
            logger.error("cannot remove index lines of deleted runs", metadata: ["path": "\(dayDirectory)", "error": "\(error)"])
        }
        rmdir(dayDirectory)
        return deleted
    }

    /// Locks a run and its sub-DAG runs; returns each with its folder, or `nil` (locks released
    /// by the caller) when any of them is held or not finished. With `keepUnwritten`, a run with
    /// no snapshot yet is kept too: it may be being created right now.
    private func lockIdleTree(_ run: RunRef, _ directory: String, keepUnwritten: Bool,
                              holding locks: inout [any RunLock]) -> [(RunRef, String)]? {
        let lockPath = directory + "/run.lock"
        guard let fd = try? Posix.open(lockPath, O_RDWR | O_CREAT, action: "open run lock") else { return nil }
        guard (try? Posix.lock(fd, LOCK_EX | LOCK_NB, path: lockPath)) == true else {
            Glibc.close(fd)
            return nil
        }
        locks.append(FileRunLock(fd: fd, path: lockPath))
        var status: RunStatus?
        if let attempt = try? AttemptFolder.latest(in: directory) {
            status = try? LineScanner.lastRecord(StatusField.self, inFileAt: attempt.statusPath)?.status
        }
        if let status, status.isActive || status == .notStarted { return nil }
        if status == nil && keepUnwritten { return nil }
        var tree = [(run, directory)]
        for child in (try? Posix.list(directory + "/children")) ?? [] where RunLayout.isSafeName(child) {
            let childDirectory = directory + "/children/" + child
            guard let data = try? Posix.readFile(childDirectory + "/run.json"),
                  let header = try? StoreJSON.decodeFile(RunHeader.self, data, path: childDirectory) else { continue }
            guard let subtree = lockIdleTree(header.run, childDirectory, keepUnwritten: keepUnwritten, holding: &locks) else {
                return nil
            }
            tree += subtree
        }
        return tree
    }

    private func numberedFolders(_ folder: String, width: Int) -> [String] {
        ((try? Posix.list(folder)) ?? []).filter { $0.count == width && $0.allSatisfy { $0.isASCII && $0.isNumber } }.sorted()
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
