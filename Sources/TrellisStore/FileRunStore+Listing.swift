import TrellisCore

extension FileRunStore {
    /// Root runs newest first (§17.2), from the day indexes read backwards starting at the newest
    /// day (or the cursor's day). Entries whose run folder is gone are skipped; an entry that says
    /// active (queued, running, waiting, not started) takes the status and times of the run's
    /// latest snapshot. Costs O(page): it reads day files only until the page (and one more
    /// entry, to know whether a next page exists) is filled. The global index folder is listed for
    /// a first page and the list reused by the pages after it; a DAG's day folders are listed
    /// lazily, only as far as the page goes.
    public func runs(dagName: String?, limit: Int, cursor: String?) throws(StoreError) -> RunPage {
        guard limit > 0 else { throw StoreError(.invalid, "page size must be positive, not \(limit)") }
        if let dagName, !RunLayout.isSafeName(dagName) {
            throw StoreError(.invalid, "\"\(dagName)\" is not a DAG name")
        }
        let scope = dagName ?? "*"
        var after: ListingCursor?
        if let cursor { after = try ListingCursor.decode(cursor, scope: scope) }
        var known: [String]?
        if dagName == nil {
            // A cursor newer than the cached list comes from elsewhere: list again.
            if let after { known = globalDays.withLock { $0 }.flatMap { ($0.first ?? "") >= after.day ? $0 : nil } }
            if known == nil {
                let listed = try DayFileWalker.globalDays(layout)
                globalDays.withLock { $0 = listed }
                known = listed
            }
        }
        var walker = try DayFileWalker(layout: layout, dagName: dagName, notAfter: after?.day, globalDays: known)
        var found: [(entry: RunIndexEntry, day: String)] = []
        while found.count <= limit, let day = try walker.next() {
            let reader = try FoldedDayReader(foldedDays.fold(fileAt: day.path), path: day.path,
                                             after: after.flatMap { $0.day == day.day ? $0.key : nil })
            while let entry = try reader.next() {
                guard RunLayout.isSafeName(entry.dag), RunLayout.isSafeName(entry.runId),
                      Posix.exists(layout.rootRunDirectory(entry.run, day: day.day) + "/run.json") else { continue }
                found.append((try confirmed(entry), day.day))
                if found.count > limit { break }
            }
        }
        let page = found.prefix(limit)
        let next = found.count > limit ? page.last.map {
            ListingCursor(scope: scope, day: $0.day, key: RunOrderKey($0.entry)).text
        } : nil
        return RunPage(entries: page.map(\.entry), nextCursor: next)
    }

    /// An entry that says an agent has the run (running, waiting, not started), updated from
    /// the run's latest snapshot. A `queued` line is left as it is: no agent owns a queued run,
    /// so nothing can change it without appending a new index line (the dispatcher lists every
    /// queued run on each pass, and reading each one's snapshot cost a read per queued run).
    private func confirmed(_ entry: RunIndexEntry) throws(StoreError) -> RunIndexEntry {
        guard entry.status == .running || entry.status == .waiting || entry.status == .notStarted,
              let snapshot = try latestSnapshot(of: entry.run) else { return entry }
        var result = entry
        result.status = snapshot.status
        result.startedAt = snapshot.startedAt
        result.finishedAt = snapshot.finishedAt
        return result
    }
}
