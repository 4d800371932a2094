import Foundation
import Logging
import Testing
import TrellisCore
import TrellisStore

/// `GET /event-logs` paging and query validation (API §8.1, §1.6) over a real server reading
/// day files written with the file event log.
@Suite("Event log: pages, filters and bad parameters")
struct APIEventLogPagingTests {
    static let day: Int64 = 86_400_000
    static let count = 600

    /// 600 entries over the last three UTC days (two DAGs, all types), plus a replayed duplicate.
    static func seed(_ home: EngineHarness) throws -> [EventLogEntry] {
        let log = FileEventLog(dataDirectory: home.dataDirectory, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        // From three days ago to a minute ago: three or four day files.
        let start = EventTime.milliseconds(Date()) - 3 * day
        let step = (3 * day - 60_000) / Int64(count / 2)
        let types: [EventType] = [.queued, .running, .succeeded, .failed, .aborted, .updated]
        var entries: [EventLogEntry] = []
        for index in 0..<count {
            // Spread over three days; several entries share an occurredAt (ordering falls to recordedAt, id).
            let occurred = start + Int64(index / 2) * step
            let type = types[index % types.count]
            let entry = EventLogEntry(
                id: "dag_\(String(format: "%04d", index))", occurredAt: occurred, recordedAt: occurred + Int64(index % 2),
                type: type.rawValue, sourceService: "cli", sourceInstance: "h:1", dagName: index % 3 == 0 ? "etl" : "web",
                dagRunId: "run\(index / 6)", attemptId: "att\(index / 6)", status: "running", data: ["dag_run_status": ["status": 1]])
            try log.append(entry, durability: .batched)
            entries.append(entry)
        }
        try log.append(entries[10], durability: .batched)
        return entries.sorted { $0.position.precedes($1.position) }
    }

    private func get(_ server: ServerHarness, _ query: String) async throws -> ServerHarness.Reply {
        try await server.request("GET", "/api/v1/event-logs" + (query.isEmpty ? "" : "?" + query))
    }

    private func ids(_ reply: ServerHarness.Reply) -> [String] {
        reply.json?["entries"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    @Test("offset and cursor pages walk every entry once, newest first; filters; limit clamp", .timeLimit(.minutes(2)))
    func walk() async throws {
        var expected: [EventLogEntry] = []
        let server = try ServerHarness { home in expected = try Self.seed(home) }
        defer { server.stop() }
        let all = expected.map(\.id)

        let first = try await get(server, "")
        #expect(first.status == 200)
        #expect(first.json?["total"] == .integer(Self.count))
        #expect(ids(first) == Array(all.prefix(50)))
        #expect(first.json?["nextCursor"] == nil)
        #expect(first.json?["entries"]?.arrayValue?.first?["data"] == ["dag_run_status": ["status": 1]])

        var seen: [String] = []
        var offset = 0
        while true {
            let page = try await get(server, "limit=37&offset=\(offset)")
            #expect(page.json?["total"] == .integer(Self.count))
            let pageIDs = ids(page)
            if pageIDs.isEmpty { break }
            seen += pageIDs
            offset += pageIDs.count
        }
        #expect(seen == all)

        for limit in [1, 37, 500] {
            seen = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await get(server, "paginationMode=cursor&limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == 200, "\(page.text)")
                #expect(page.json?["total"] == nil)
                seen += ids(page)
                cursor = page.json?["nextCursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 1_000
            #expect(seen == all, "limit \(limit)")
            #expect(pages == (Self.count + limit - 1) / limit)
        }

        // Limit clamp 1–500.
        #expect(ids(try await get(server, "limit=0")).count == 1)
        #expect(ids(try await get(server, "limit=-4")).count == 1)
        #expect(ids(try await get(server, "limit=100000")).count == 500)

        // Filters.
        let etl = expected.filter { $0.dagName == "etl" }
        let etlPage = try await get(server, "dagName=etl&limit=500")
        #expect(ids(etlPage) == etl.map(\.id))
        #expect(etlPage.json?["total"] == .integer(etl.count))
        let failed = expected.filter { $0.type == "dag.run.failed" }
        #expect(ids(try await get(server, "type=dag.run.failed&limit=500")) == failed.map(\.id))
        #expect(ids(try await get(server, "dagRunId=run7&attemptId=att7")) == expected.filter { $0.dagRunId == "run7" }.map(\.id))
        #expect(ids(try await get(server, "dagRunId=run7&attemptId=att8")).isEmpty)
        #expect(ids(try await get(server, "kind=dag_run&limit=5")).count == 5)
        for nothing in ["kind=llm_usage", "sessionId=s", "userId=u", "model=m", "type=dag.run.waiting"] {
            let reply = try await get(server, nothing)
            #expect(reply.status == 200 && ids(reply).isEmpty && reply.json?["total"] == 0, "\(nothing)")
        }
        let from = expected[400].occurredAt, to = expected[100].occurredAt
        let window = expected.filter { $0.occurredAt >= from && $0.occurredAt <= to }
        let windowQuery = "startTime=\(EventTime.format(from))&endTime=\(EventTime.format(to))&limit=500"
        #expect(ids(try await get(server, windowQuery)) == window.map(\.id))
        // The same window in cursor mode, with a cursor bound to it.
        var windowSeen: [String] = []
        var cursor: String?
        repeat {
            let page = try await get(server, windowQuery.replacingOccurrences(of: "limit=500", with: "limit=40&paginationMode=cursor")
                                     + (cursor.map { "&cursor=\($0)" } ?? ""))
            windowSeen += ids(page)
            cursor = page.json?["nextCursor"]?.stringValue
        } while cursor != nil
        #expect(windowSeen == window.map(\.id))

        // A new entry after the first page does not shift later cursor pages.
        let page1 = try await get(server, "paginationMode=cursor&limit=10")
        let next = try #require(page1.json?["nextCursor"]?.stringValue)
        let log = FileEventLog(dataDirectory: server.home.dataDirectory, logger: Logger(label: "test"))
        let now = EventTime.milliseconds(Date())
        try log.append(EventLogEntry(id: "dag_new", occurredAt: now, recordedAt: now, type: "dag.run.running", sourceService: "cli"),
                       durability: .synced)
        #expect(ids(try await get(server, "paginationMode=cursor&limit=10&cursor=\(next)")) == Array(all[10..<20]))
        #expect(ids(try await get(server, "limit=1")) == ["dag_new"])
        #expect(try await get(server, "").json?["total"] == .integer(Self.count + 1))
    }

    @Test("bad parameters and cursor misuse → 400 bad_request")
    func badRequests() async throws {
        let server = try ServerHarness { home in _ = try Self.seed(home) }
        defer { server.stop() }
        let first = try await get(server, "paginationMode=cursor&limit=5&dagName=etl")
        let cursor = try #require(first.json?["nextCursor"]?.stringValue)
        let cases: [(String, String?)] = [
            ("paginationMode=cursor&offset=5", "offset cannot be combined with cursor pagination"),
            ("cursor=\(cursor)&dagName=etl&offset=0", "offset cannot be combined with cursor pagination"),
            ("cursor=\(cursor)&dagName=web", nil),
            ("cursor=\(cursor)", nil),
            ("cursor=not-a-cursor", "invalid cursor"),
            ("cursor=\(cursor.dropLast(3))", nil),
            ("paginationMode=pages", nil),
            ("limit=ten", nil),
            ("offset=x", nil),
            ("startTime=yesterday", nil),
            ("endTime=2026-13-01T00:00:00Z", nil),
            ("type=dag.run.exploded", nil),
            ("kind=other", nil),
            ("remoteNode=elsewhere", nil),
        ]
        for (query, message) in cases {
            let reply = try await get(server, query)
            #expect(reply.status == 400, "\(query): \(reply.status) \(reply.text)")
            #expect(reply.json?["code"] == "bad_request", "\(query)")
            if let message { #expect(reply.json?["message"] == .string(message), "\(query)") }
        }
        // The cursor with its own filters works.
        let second = try await get(server, "cursor=\(cursor)&dagName=etl&limit=5")
        #expect(second.status == 200)
        #expect(Set(ids(second)).isDisjoint(with: ids(first)))
        // offset mode explicit and a negative offset (clamped to 0).
        #expect(try await get(server, "paginationMode=offset&offset=-3&limit=2").status == 200)
    }
}
