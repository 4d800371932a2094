import Foundation
import Testing
import TrellisAPI
import TrellisCore

@Suite("API times (§1.3) and response bodies")
struct APITimeTests {
    @Test("second precision with the zone's offset; Z for UTC",
          arguments: [
              ("UTC", "2026-05-07T00:08:32Z"),
              ("Asia/Tokyo", "2026-05-07T09:08:32+09:00"),
              ("America/St_Johns", "2026-05-06T21:38:32-02:30"),
              ("Europe/London", "2026-05-07T01:08:32+01:00"),
          ])
    func formats(zone: String, expected: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(APITime.format(DTOTest.t0, in: timeZone) == expected)
    }

    @Test("a zero offset given by seconds is Z too")
    func zeroOffset() throws {
        let zone = try #require(TimeZone(secondsFromGMT: 0))
        #expect(APITime.format(DTOTest.t0, in: zone) == "2026-05-07T00:08:32Z")
    }

    @Test("required times are \"\" when unset; optional ones are nil")
    func unset() {
        #expect(APITime.required(nil, in: DTOTest.utc) == .string(""))
        #expect(APITime.optional(nil, in: DTOTest.utc) == nil)
        #expect(APITime.optional(DTOTest.t0, in: DTOTest.tokyo) == .string("2026-05-07T09:08:32+09:00"))
    }

    @Test("the response body is compact UTF-8 JSON in key order")
    func body() {
        let value: JSONValue = ["b": 1, "a": ["é", .null], "c": [:]]
        let data = JSONResponseBody.data(value)
        #expect(String(decoding: data, as: UTF8.self) == #"{"b":1,"a":["é",null],"c":{}}"#)
    }

    @Test("the exact-JSON helper itself catches a wrong value, a missing key and an extra key")
    func helperSelfCheck() {
        withKnownIssue { DTOTest.expectJSON(["a": 1], #"{"a":2}"#) }
        withKnownIssue { DTOTest.expectJSON(["a": 1], #"{"a":1,"b":[]}"#) }
        withKnownIssue { DTOTest.expectJSON(["a": 1, "b": .null], #"{"a":1}"#) }
        DTOTest.expectJSON(["b": [], "a": 1], #"{"a":1,"b":[]}"#)
    }
}
