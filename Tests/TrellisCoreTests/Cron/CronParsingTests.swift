import Foundation
import Testing
@testable import TrellisCore

@Suite("Cron parsing")
struct CronParsingTests {
    struct FieldCase: Sendable, CustomTestStringConvertible {
        let expression: String
        let minutes: [Int]?
        let hours: [Int]?
        let daysOfMonth: [Int]?
        let months: [Int]?
        let daysOfWeek: [Int]?
        var testDescription: String { expression }

        init(
            _ expression: String,
            minutes: [Int]? = nil,
            hours: [Int]? = nil,
            daysOfMonth: [Int]? = nil,
            months: [Int]? = nil,
            daysOfWeek: [Int]? = nil
        ) {
            self.expression = expression
            self.minutes = minutes
            self.hours = hours
            self.daysOfMonth = daysOfMonth
            self.months = months
            self.daysOfWeek = daysOfWeek
        }
    }

    static let fieldCases: [FieldCase] = [
        FieldCase("* * * * *", minutes: Array(0...59), hours: Array(0...23), daysOfMonth: Array(1...31),
                  months: Array(1...12), daysOfWeek: Array(0...6)),
        FieldCase("? ? ? ? ?", minutes: Array(0...59), hours: Array(0...23), daysOfMonth: Array(1...31),
                  months: Array(1...12), daysOfWeek: Array(0...6)),
        FieldCase("*/15 * * * *", minutes: [0, 15, 30, 45]),
        FieldCase("?/20 * * * *", minutes: [0, 20, 40]),
        FieldCase("5,10,45 * * * *", minutes: [5, 10, 45]),
        FieldCase("45,5,5,10 * * * *", minutes: [5, 10, 45]),
        FieldCase("10-12 * * * *", minutes: [10, 11, 12]),
        FieldCase("1-10/3 * * * *", minutes: [1, 4, 7, 10]),
        FieldCase("50/3 * * * *", minutes: [50, 53, 56, 59]),
        FieldCase("0-5,*/20,59 * * * *", minutes: [0, 1, 2, 3, 4, 5, 20, 40, 59]),
        FieldCase("07 08 * * *", minutes: [7], hours: [8]),
        FieldCase("0 22/1 * * *", hours: [22, 23]),
        FieldCase("0 9-17/4 * * *", hours: [9, 13, 17]),
        FieldCase("0 0 1,15,31 * *", daysOfMonth: [1, 15, 31]),
        FieldCase("0 0 */10 * *", daysOfMonth: [1, 11, 21, 31]),
        FieldCase("0 0 1 jan,Mar,DEC-DEC *", months: [1, 3, 12]),
        FieldCase("0 0 1 JAN-MAR *", months: [1, 2, 3]),
        FieldCase("0 0 1 */3 *", months: [1, 4, 7, 10]),
        FieldCase("0 0 1 feb/5 *", months: [2, 7, 12]),
        FieldCase("0 0 * * 0,7", daysOfWeek: [0]),
        FieldCase("0 0 * * 7", daysOfWeek: [0]),
        FieldCase("0 0 * * 1-7", daysOfWeek: [0, 1, 2, 3, 4, 5, 6]),
        FieldCase("0 0 * * 0-7", daysOfWeek: [0, 1, 2, 3, 4, 5, 6]),
        FieldCase("0 0 * * */2", daysOfWeek: [0, 2, 4, 6]),
        FieldCase("0 0 * * 1/2", daysOfWeek: [1, 3, 5]),
        FieldCase("0 0 * * MON/2", daysOfWeek: [1, 3, 5]),
        FieldCase("0 0 * * mon-fri", daysOfWeek: [1, 2, 3, 4, 5]),
        FieldCase("0 0 * * SAT-SUN", daysOfWeek: [0, 6]),
        FieldCase("0 0 * * FRI-SUN", daysOfWeek: [0, 5, 6]),
        FieldCase("0 0 * * 5-7", daysOfWeek: [0, 5, 6]),
        FieldCase("0 0 * * SUN-TUE", daysOfWeek: [0, 1, 2]),
        FieldCase("0 0 * * Sun,wEd", daysOfWeek: [0, 3]),
        FieldCase("0\t12  *\t\t* *", minutes: [0], hours: [12]),
    ]

    @Test("field values", arguments: fieldCases)
    func fieldValues(_ testCase: FieldCase) throws {
        let expression = try CronExpression(parsing: testCase.expression)
        if let minutes = testCase.minutes { #expect(expression.minutes.values == minutes) }
        if let hours = testCase.hours { #expect(expression.hours.values == hours) }
        if let days = testCase.daysOfMonth { #expect(expression.daysOfMonth.values == days) }
        if let months = testCase.months { #expect(expression.months.values == months) }
        if let weekdays = testCase.daysOfWeek { #expect(expression.daysOfWeek.values == weekdays) }
    }

    @Test("day fields combine with OR only when neither starts with * or ?", arguments: [
        ("0 0 13 * 5", true),
        ("0 0 1-7 * MON", true),
        ("0 0 1,15 * 1-5", true),
        ("0 0 * * 5", false),
        ("0 0 13 * *", false),
        ("0 0 13 * ?", false),
        ("0 0 ? * 5", false),
        ("0 0 */2 * 5", false),
        ("0 0 13 * */2", false),
        ("0 0 * * *", false),
    ])
    func dayCombination(expression text: String, usesOr: Bool) throws {
        let expression = try CronExpression(parsing: text)
        #expect(expression.daysCombineWithOr == usesOr)
    }

    @Test("source is trimmed and kept as written")
    func sourceIsTrimmed() throws {
        let expression = try CronExpression(parsing: "  0 9 * * MON-fri \n")
        #expect(expression.source == "0 9 * * MON-fri")
        #expect(expression.description == "0 9 * * MON-fri")
        #expect("\(expression)" == "0 9 * * MON-fri")
        #expect(expression.timeZoneIdentifier == nil)
        #expect(expression.warnings.isEmpty)
    }

    @Test("CRON_TZ and TZ prefixes", arguments: [
        ("CRON_TZ=America/New_York 0 9 * * *", "America/New_York"),
        ("TZ=Europe/Berlin 0 9 * * *", "Europe/Berlin"),
        ("  CRON_TZ=Asia/Kolkata\t\t30 2 * * *  ", "Asia/Kolkata"),
        ("TZ=UTC * * * * *", "UTC"),
    ])
    func prefix(text: String, identifier: String) throws {
        let expression = try CronExpression(parsing: text)
        #expect(expression.timeZoneIdentifier == identifier)
        #expect(expression.source == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(expression.source.contains(identifier))
        #expect(expression.timeZone == TimeZone(identifier: identifier))
    }

    @Test("equal text gives equal values; different text does not")
    func hashable() throws {
        let first = try CronExpression(parsing: "*/5 * * * *")
        let second = try CronExpression(parsing: "*/5 * * * *")
        let other = try CronExpression(parsing: "0-55/5 * * * *")
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(first != other)
        #expect(Set([first, second, other]).count == 2)
    }
}
