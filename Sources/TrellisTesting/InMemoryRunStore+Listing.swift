import Foundation
import TrellisCore

extension InMemoryRunStore {
    /// Root runs newest first (creation time desc at millisecond precision, then DAG name asc,
    /// then run ID asc), with the same cursor rules as the file store: opaque, tied to the
    /// listing's scope, ``StoreError/Code/invalid`` when malformed or reused for another scope.
    public func runs(dagName: String?, limit: Int, cursor: String?) throws(StoreError) -> RunPage {
        guard limit > 0 else { throw StoreError(.invalid, "page size must be positive, not \(limit)") }
        let scope = dagName ?? "*"
        var after: MemoryCursor?
        if let cursor { after = try MemoryCursor.decode(cursor, scope: scope) }
        let entries = state.withLock { state in
            state.runs.values.compactMap { record -> RunIndexEntry? in
                guard record.header.isRoot, dagName == nil || record.header.run.name == dagName,
                      let snapshot = record.attempts.last?.records.last?.snapshot else { return nil }
                return RunIndexEntry(runId: record.header.run.id, dag: record.header.run.name, status: snapshot.status,
                                     createdAt: record.header.createdAt, startedAt: snapshot.startedAt,
                                     finishedAt: snapshot.finishedAt, triggerType: record.header.triggerType,
                                     labels: snapshot.labels)
            }
        }
        let ordered = entries.map { (MemoryCursor.Key($0), $0) }
            .filter { after == nil || after!.key < $0.0 }
            .sorted { $0.0 < $1.0 }
        let page = Array(ordered.prefix(limit))
        let next = ordered.count > limit ? page.last.map { MemoryCursor(scope: scope, key: $0.0).text } : nil
        return RunPage(entries: page.map(\.1), nextCursor: next)
    }
}

/// The in-memory store's listing cursor: base64 of JSON naming the scope and the last key.
struct MemoryCursor: Codable {
    /// Listing order: `a < b` means `a` comes first.
    struct Key: Codable, Comparable {
        var millis: Int64
        var name: String
        var id: String

        init(_ entry: RunIndexEntry) {
            millis = Int64((entry.createdAt.timeIntervalSince1970 * 1000).rounded(.down))
            name = entry.dag
            id = entry.runId
        }

        static func < (lhs: Key, rhs: Key) -> Bool {
            if lhs.millis != rhs.millis { return lhs.millis > rhs.millis }
            if lhs.name != rhs.name { return lhs.name < rhs.name }
            return lhs.id < rhs.id
        }
    }

    var scope: String
    var key: Key

    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ((try? encoder.encode(self)) ?? Data()).base64EncodedString()
    }

    static func decode(_ text: String, scope: String) throws(StoreError) -> MemoryCursor {
        guard let data = Data(base64Encoded: text), let cursor = try? JSONDecoder().decode(MemoryCursor.self, from: data) else {
            throw StoreError(.invalid, "invalid cursor \"\(text)\"")
        }
        guard cursor.scope == scope else { throw StoreError(.invalid, "cursor \"\(text)\" belongs to another listing") }
        return cursor
    }
}
