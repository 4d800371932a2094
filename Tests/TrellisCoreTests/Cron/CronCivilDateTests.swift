import Foundation
import Testing
@testable import TrellisCore

@Suite("Civil date arithmetic")
struct CivilDateTests {
    @Test("day numbers, weekdays and month lengths agree with Calendar", arguments: [1599, 1899, 1969, 2023, 2099, 2399])
    func agreesWithCalendar(startYear: Int) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try cronZone("UTC")
        let start = CivilDate.days(year: startYear, month: 1, day: 1)
        for days in start..<(start + 3 * 366) {
            let date = Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
            let components = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CivilDate.date(days: days)
            #expect(civil.year == components.year && civil.month == components.month && civil.day == components.day)
            #expect(CivilDate.weekday(days: days) == (components.weekday ?? 0) - 1)
            #expect(CivilDate.days(year: civil.year, month: civil.month, day: civil.day) == days)
            if civil.day == 1 {
                let length = calendar.range(of: .day, in: .month, for: date)?.count
                #expect(CivilDate.daysInMonth(year: civil.year, month: civil.month) == length)
            }
        }
    }

    @Test("leap years", arguments: [(1900, false), (2000, true), (2024, true), (2026, false), (2100, false), (2400, true)])
    func leapYears(year: Int, isLeap: Bool) {
        #expect(CivilDate.isLeapYear(year) == isLeap)
        #expect(CivilDate.daysInMonth(year: year, month: 2) == (isLeap ? 29 : 28))
    }

    @Test("wall-clock minutes round-trip through local seconds, before and after 1970", arguments: [
        -86_400 * 365 * 80 - 60, -1, 0, 59, 60, 1_772_953_200, 4_102_444_799,
    ])
    func localMinuteRoundTrip(seconds: Int) {
        let minute = CronLocalMinute(localSeconds: seconds)
        #expect(minute.localSeconds == CronLocalMinute.floorDivide(seconds, 60) * 60)
        #expect(CronLocalMinute(localSeconds: minute.localSeconds) == minute)
    }
}
