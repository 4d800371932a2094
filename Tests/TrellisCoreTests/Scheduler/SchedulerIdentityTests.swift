import Foundation
import Testing
@testable import TrellisCore

@Suite("Scheduler: entry ids and deterministic run IDs")
struct SchedulerIdentityTests {
    typealias F = SchedulerFixture

    @Test("one-off run IDs: oneoff-<name>-<hash8>-<UTC yyyyMMddTHHmmss>", arguments: [
        ("report", "2026-03-29T02:10:00+01:00", "oneoff-report-0aa514bc-20260329T011000"),
        ("report", "2026-03-29T01:10:00Z", "oneoff-report-0aa514bc-20260329T011000"),
        ("my.etl", "2026-03-29T01:10:00Z", "oneoff-my_etl-f485aa1e-20260329T011000"),
        (String(repeating: "a", count: 40), "2026-03-29T01:10:00Z",
         "oneoff-" + String(repeating: "a", count: 32) + "-13c62a5b-20260329T011000"),
    ])
    func oneOffRunID(dagName: String, at: String, expected: String) {
        let id = ScheduleIdentity.oneOffRunID(dagName: dagName, at: F.at(at))
        #expect(id == expected)
        #expect(id.count <= 64)
        #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }

    @Test("run IDs are deterministic and differ per DAG and per time")
    func runIDsDiffer() {
        let time = F.at("2026-03-29T01:10:00Z")
        #expect(ScheduleIdentity.oneOffRunID(dagName: "a", at: time) == ScheduleIdentity.oneOffRunID(dagName: "a", at: time))
        #expect(ScheduleIdentity.oneOffRunID(dagName: "a.b", at: time) != ScheduleIdentity.oneOffRunID(dagName: "a_b", at: time))
        #expect(ScheduleIdentity.oneOffRunID(dagName: "a", at: time)
                != ScheduleIdentity.oneOffRunID(dagName: "a", at: time.addingTimeInterval(60)))
    }

    @Test("entry ids: cron as written, one-offs as the UTC instant")
    func entryIDs() throws {
        let cron = try CronExpression(parsing: "CRON_TZ=Asia/Tokyo 0 9 * * *")
        #expect(ScheduleIdentity.id(of: .cron(cron)) == "cron:CRON_TZ=Asia/Tokyo 0 9 * * *")
        let time = F.at("2026-03-29T02:10:00+01:00")
        #expect(ScheduleIdentity.id(of: .at(time, source: "2026-03-29T02:10:00+01:00")) == "at:2026-03-29T01:10:00Z")
    }

    @Test("the start fingerprint ignores order and duplicates, and sees any edit")
    func fingerprint() throws {
        let hourly = ScheduleEntry.cron(try CronExpression(parsing: "0 * * * *"))
        let daily = ScheduleEntry.cron(try CronExpression(parsing: "0 9 * * *"))
        let oneOff = ScheduleEntry.at(F.at("2026-03-29T01:10:00Z"), source: "2026-03-29T01:10:00Z")
        #expect(ScheduleIdentity.fingerprint(ofStart: [hourly]) == "3d1ba4e0bf16949b")
        #expect(ScheduleIdentity.fingerprint(ofStart: [hourly, daily]) == ScheduleIdentity.fingerprint(ofStart: [daily, hourly]))
        #expect(ScheduleIdentity.fingerprint(ofStart: [hourly, hourly]) == ScheduleIdentity.fingerprint(ofStart: [hourly]))
        #expect(ScheduleIdentity.fingerprint(ofStart: [hourly]) != ScheduleIdentity.fingerprint(ofStart: [daily]))
        #expect(ScheduleIdentity.fingerprint(ofStart: [hourly]) != ScheduleIdentity.fingerprint(ofStart: [hourly, oneOff]))
    }
}
