import Foundation

/// The pure part of dead-run repair (§16.2): what a run whose agent is gone looks like.
public enum DeadRunRepair {
    /// Whether a snapshot claims the run is alive (`running`), so a free lock means it is dead.
    public static func claimsRunning(_ snapshot: RunSnapshot) -> Bool {
        snapshot.status == .running
    }

    /// The snapshot to append for a dead run: run `failed` with `finishedAt = now` and the
    /// error; `running`/`retrying` nodes failed with the same error; other nodes unchanged.
    /// A run that never left `not_started` gets "run agent did not start".
    public static func repaired(_ snapshot: RunSnapshot, now: Date) -> RunSnapshot {
        var result = snapshot
        let error: String
        if snapshot.status == .notStarted {
            error = "run agent did not start"
        } else {
            let pid = snapshot.pid.map(String.init) ?? "unknown"
            error = "run agent exited unexpectedly (pid \(pid)); marked failed at \(Timestamps.rfc3339(now))"
        }
        result.status = .failed
        result.finishedAt = now
        result.error = error
        for index in result.nodes.indices where [.running, .retrying].contains(result.nodes[index].status) {
            result.nodes[index].status = .failed
            result.nodes[index].error = error
            result.nodes[index].finishedAt = now
        }
        for (key, var node) in result.handlers where [.running, .retrying].contains(node.status) {
            node.status = .failed
            node.error = error
            node.finishedAt = now
            result.handlers[key] = node
        }
        return result
    }

    /// Process groups that may still hold step processes of a dead run.
    public static func strayProcessGroups(_ snapshot: RunSnapshot) -> [Int32] {
        (snapshot.nodes + snapshot.handlers.values).filter { [.running, .retrying].contains($0.status) }.compactMap(\.pgid)
    }
}

/// RFC 3339 formatting and parsing of instants.
public enum Timestamps {
    /// `2026-11-29T03:20:00.123Z` (UTC, milliseconds): the stored form.
    public static func rfc3339(_ date: Date) -> String {
        FastTimestamp.utcMillis(date)
    }

    /// The stored form without `.000` when the instant is a whole second
    /// (`2026-03-29T01:10:00Z`): schedule times and the scheduler's state file.
    public static func rfc3339OmittingZeroMillis(_ date: Date) -> String {
        let text = rfc3339(date)
        return text.hasSuffix(".000Z") ? text.dropLast(5) + "Z" : text
    }

    /// Second precision with the zone's offset as `±HH:MM` (`Z` when it is 0): the API form
    /// (API §1.3). Fractions are truncated. Written by hand: `Date.ISO8601FormatStyle` goes
    /// through a calendar and ICU's zone data for every time of every listing, and a zone known
    /// to be UTC by its name is not asked for its offset at all.
    public static func rfc3339Seconds(_ date: Date, in zone: TimeZone) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let offset = utcNames.contains(zone.identifier) ? 0 : zone.secondsFromGMT(for: date)
        // The zone's wall-clock time, written as a UTC time, then its offset instead of `Z`.
        let text = ScheduleIdentity.utcText(Date(timeIntervalSince1970: seconds + Double(offset)))
        guard offset != 0 else { return text }
        let minutes = abs(offset) / 60
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return text.dropLast() + (offset < 0 ? "-" : "+") + twoDigits(minutes / 60) + ":" + twoDigits(minutes % 60)
    }

    /// Zone names that always mean UTC (the ones the tz database links to `Etc/UTC`).
    private static let utcNames: Set<String> = [
        "UTC", "GMT", "Etc/UTC", "Etc/GMT", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu",
        "Etc/Greenwich", "Greenwich", "GMT0", "GMT+0", "GMT-0", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0",
    ]

    /// Parses RFC 3339 with or without fractional seconds. The stored form is read by hand:
    /// `Date.ISO8601FormatStyle` builds a calendar and looks up the current time zone, which
    /// loads ICU's zone data, and every run agent decodes stored dates.
    public static func parse(_ text: String) -> Date? {
        if let millis = EventTime.parseStoredForm(text) { return EventTime.date(millis) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
