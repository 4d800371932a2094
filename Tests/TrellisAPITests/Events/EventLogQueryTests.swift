import Foundation
import Testing
@testable import TrellisAPI
import TrellisCore

/// The query of `GET /event-logs` (API §8.1) as the controller parses it.
@Suite("GET /event-logs query parsing")
struct EventLogQueryTests {
    static func parse(_ query: String) throws(APIError) -> EventQuery {
        try EventLogController.parse(QueryParameters(query))
    }

    @Test("defaults: offset mode from 0, 50 entries, no filter")
    func defaults() throws {
        #expect(try Self.parse("") == EventQuery(filter: EventFilter(), limit: 50, pagination: .offset(0)))
    }

    @Test("filters, clamped limit, modes")
    func values() throws {
        let query = try Self.parse("kind=dag_run&type=dag.run.failed&dagName=etl&dagRunId=r1&attemptId=a1"
            + "&startTime=2026-11-29T00:00:00Z&endTime=2026-11-29T01:00:00.500%2B01:00&limit=900&offset=7")
        #expect(query.filter == EventFilter(kind: "dag_run", type: "dag.run.failed", dagName: "etl", dagRunId: "r1", attemptId: "a1",
                                            startTime: EventTime.parse("2026-11-29T00:00:00Z"),
                                            endTime: EventTime.parse("2026-11-29T00:00:00.500Z")))
        #expect(query.limit == 500)
        #expect(query.pagination == .offset(7))
        #expect(try Self.parse("limit=0").limit == 1)
        #expect(try Self.parse("offset=-2").pagination == .offset(0))
        #expect(try Self.parse("paginationMode=cursor").pagination == .cursor(after: nil))
        for name in ["sessionId", "userId", "model"] {
            #expect(try Self.parse("\(name)=x").filter.matchesNothing)
        }
        let filter = EventFilter(dagName: "etl")
        let cursor = EventCursor(after: EventPosition(occurredAt: 1, recordedAt: 2, id: "dag_a"), fingerprint: filter.fingerprint).encoded
        #expect(try Self.parse("dagName=etl&cursor=\(cursor)").pagination == .cursor(after: EventPosition(occurredAt: 1, recordedAt: 2, id: "dag_a")))
    }

    @Test("bad values and cursor misuse are 400 bad_request", arguments: [
        "kind=other", "type=dag.run.nope", "limit=x", "offset=x", "paginationMode=pages", "startTime=soon",
        "endTime=2026-02-30T00:00:00Z", "paginationMode=cursor&offset=0", "cursor=garbage", "paginationMode=offset&cursor=abc",
        "dagName=web&cursor=eyJvIjoxLCJyIjoyLCJpIjoiZGFnX2EiLCJmIjoiMDAwMCJ9",
    ])
    func rejected(_ query: String) {
        #expect(throws: APIError.self) { try Self.parse(query) }
        do {
            _ = try Self.parse(query)
        } catch {
            #expect(error.code == .badRequest && error.status.code == 400, "\(query)")
        }
    }

    @Test("every query parameter the OpenAPI document lists for /event-logs is accepted")
    func documented() throws {
        let operation = OpenAPIDocument.json(serverURL: "/api/v1")["paths"]?["/event-logs"]?["get"]
        let names = (operation?["parameters"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(Set(names).isSuperset(of: ["kind", "type", "dagName", "dagRunId", "attemptId", "sessionId", "userId", "model",
                                           "startTime", "endTime", "limit", "paginationMode", "offset"]))
        for name in names where name != "cursor" {
            let value = ["kind": "dag_run", "type": "dag.run.running", "startTime": "2026-11-29T00:00:00Z",
                         "endTime": "2026-11-29T00:00:00Z", "limit": "5", "offset": "5", "paginationMode": "offset"][name] ?? "x"
            #expect(throws: Never.self) { try Self.parse("\(name)=\(value)") }
        }
    }
}
