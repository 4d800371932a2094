import Foundation
import Testing
@testable import TrellisCore

@Suite("Cron warnings")
struct CronWarningTests {
    static let cases: [(String, [String])] = [
        ("*/7 * * * *", [
            "minute step */7 does not divide 60: it fires at :56 and then at :00 of the next hour, "
                + "4 minutes later instead of 7",
        ]),
        ("?/7 * * * *", [
            "minute step */7 does not divide 60: it fires at :56 and then at :00 of the next hour, "
                + "4 minutes later instead of 7",
        ]),
        ("*/45 * * * *", [
            "minute step */45 does not divide 60: it fires at :45 and then at :00 of the next hour, "
                + "15 minutes later instead of 45",
        ]),
        ("*/59 * * * *", [
            "minute step */59 does not divide 60: it fires at :59 and then at :00 of the next hour, "
                + "1 minute later instead of 59",
        ]),
        ("*/90 * * * *", [
            "minute step */90 does not divide 60: it fires at :00 and then at :00 of the next hour, "
                + "60 minutes later instead of 90",
        ]),
        ("0 */5 * * *", [
            "hour step */5 does not divide 24: it fires at 20:00 and then at 00:00 of the next day, "
                + "4 hours later instead of 5",
        ]),
        ("0 */23 * * *", [
            "hour step */23 does not divide 24: it fires at 23:00 and then at 00:00 of the next day, "
                + "1 hour later instead of 23",
        ]),
        ("*/7 */7 * * *", [
            "minute step */7 does not divide 60: it fires at :56 and then at :00 of the next hour, "
                + "4 minutes later instead of 7",
            "hour step */7 does not divide 24: it fires at 21:00 and then at 00:00 of the next day, "
                + "3 hours later instead of 7",
        ]),
        ("*/7,*/7 * * * *", [
            "minute step */7 does not divide 60: it fires at :56 and then at :00 of the next hour, "
                + "4 minutes later instead of 7",
        ]),
        ("CRON_TZ=UTC */11 * * * *", [
            "minute step */11 does not divide 60: it fires at :55 and then at :00 of the next hour, "
                + "5 minutes later instead of 11",
        ]),
        // Steps that divide the cycle, steps not starting at `*`, and other fields: no warning.
        ("*/1 * * * *", []),
        ("*/15 * * * *", []),
        ("*/30 */6 * * *", []),
        ("0 */8 * * *", []),
        ("0 */12 * * *", []),
        ("0-59/7 * * * *", []),
        ("5/7 * * * *", []),
        ("0 1-23/5 * * *", []),
        ("0 0 */7 * *", []),
        ("0 0 1 */5 *", []),
        ("0 0 * * */4", []),
    ]

    @Test("misleading */n steps in minute and hour warn", arguments: cases)
    func warnings(expression: String, expected: [String]) throws {
        #expect(try CronExpression(parsing: expression).warnings == expected)
    }
}
