import Foundation
import TrellisCore

extension FileRunStore {
    /// Appends the event (API §8.2) that persisting `snapshot` after a line with status
    /// `previous` produces, if any. A failure is logged and never fails the write that caused it.
    func recordEvent(_ snapshot: RunSnapshot, previous: RunStatus?, durability: Durability) {
        guard let events, let entry = events.event(for: snapshot, previous: previous) else { return }
        do {
            try events.log.append(entry, durability: durability)
        } catch {
            logger.error("cannot write an event", metadata: [
                "dag.name": "\(snapshot.run.name)", "run.id": "\(snapshot.run.id)", "event.type": "\(entry.type)",
                "error": "\(error)",
            ])
        }
    }
}
