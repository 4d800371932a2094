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

    @Test("the hand-written form matches Foundation's ISO 8601 style at random instants, DST changes included",
          arguments: ["UTC", "Etc/UTC", "Asia/Tokyo", "America/St_Johns", "Europe/London", "America/New_York", "Australia/Lord_Howe"])
    func matchesFoundation(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let style = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone)
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1970 to 2100, with fractions of a second.
            let date = Date(timeIntervalSince1970: Double(state >> 11) / Double(1 << 53) * 4_102_444_800)
            #expect(APITime.format(date, in: timeZone) == date.formatted(style), "\(date.timeIntervalSince1970)")
        }
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
