import Foundation
import Testing
@testable import TrellisCore

@Suite("Cron errors")
struct CronErrorTests {
    static let fieldCount = "expected 5 fields (minute hour day-of-month month day-of-week), got"
    static let descriptor = #"cron descriptors like "@daily" are not supported; use 5 fields, e.g. "0 0 * * *""#
    static let empty = "empty cron expression; expected 5 fields (minute hour day-of-month month day-of-week)"

    static let cases: [(String, String)] = [
        // Empty input and field counts.
        ("", empty),
        ("  \t \n", empty),
        ("*", "\(fieldCount) 1"),
        ("* * * *", "\(fieldCount) 4"),
        ("0 0 0 * * *", "\(fieldCount) 6"),
        ("0 0 1 1 * 2027", "\(fieldCount) 6"),
        ("0 0 * * * * *", "\(fieldCount) 7"),
        ("CRON_TZ=America/New_York 0 9 * *", "\(fieldCount) 4"),
        ("CRON_TZ=UTC", "\(fieldCount) 0"),
        ("cron_tz=UTC 0 9 * * *", "\(fieldCount) 6"),
        // Descriptors.
        ("@daily", descriptor),
        ("@every 5m", descriptor),
        ("@reboot", descriptor),
        ("  @hourly  ", descriptor),
        ("CRON_TZ=UTC @weekly", descriptor),
        // Prefix zones.
        ("CRON_TZ=Mars/Base 0 9 * * *", #"unknown time zone "Mars/Base""#),
        ("TZ=Nowhere/City 0 9 * * *", #"unknown time zone "Nowhere/City""#),
        ("CRON_TZ=america/new_york 0 9 * * *", #"unknown time zone "america/new_york""#),
        ("CRON_TZ= 0 9 * * *", #"missing time zone after "CRON_TZ=""#),
        ("TZ= 0 9 * * *", #"missing time zone after "TZ=""#),
        // Out of range.
        ("61 * * * *", "minute 61 out of range 0-59"),
        ("60 * * * *", "minute 60 out of range 0-59"),
        ("* 24 * * *", "hour 24 out of range 0-23"),
        ("0 60 * * *", "hour 60 out of range 0-23"),
        ("* * 0 * *", "day-of-month 0 out of range 1-31"),
        ("* * 32 * *", "day-of-month 32 out of range 1-31"),
        ("* * * 13 *", "month 13 out of range 1-12"),
        ("* * * 0 *", "month 0 out of range 1-12"),
        ("* * * * 8", "day-of-week 8 out of range 0-7"),
        ("0 0 * * MON-8", "day-of-week 8 out of range 0-7"),
        ("0-60 * * * *", "minute 60 out of range 0-59"),
        ("1,2,99 * * * *", "minute 99 out of range 0-59"),
        ("0 0 1 1-13/2 *", "month 13 out of range 1-12"),
        ("99999999999999999999 * * * *", "minute 99999999999999999999 out of range 0-59"),
        // Names.
        ("0 0 * FOO *", #"invalid month "FOO""#),
        ("0 0 * JAN-FOO *", #"invalid month "FOO""#),
        ("0 0 * JANUARY *", #"invalid month "JANUARY""#),
        ("0 0 * * FUNDAY", #"invalid day-of-week "FUNDAY""#),
        ("0 0 * * MONDAY", #"invalid day-of-week "MONDAY""#),
        ("0 0 * * JAN", #"invalid day-of-week "JAN""#),
        ("a * * * *", #"invalid minute "a""#),
        ("0 MON * * *", #"invalid hour "MON""#),
        ("0 0 L * *", #"invalid day-of-month "L""#),
        ("0 0 * * 1#2", #"invalid day-of-week "1#2""#),
        ("+5 * * * *", #"invalid minute "+5""#),
        // Steps.
        ("*/0 * * * *", #"invalid minute step 0 in "*/0": a step must be at least 1"#),
        ("0 1-5/0 * * *", #"invalid hour step 0 in "1-5/0": a step must be at least 1"#),
        ("0 0 1 1/00 *", #"invalid month step 0 in "1/00": a step must be at least 1"#),
        ("*/x * * * *", #"invalid minute step "x" in "*/x""#),
        ("*/-1 * * * *", #"invalid minute step "-1" in "*/-1""#),
        ("0 0 1/ * *", #"invalid day-of-month step "" in "1/""#),
        ("*/5/2 * * * *", #"invalid minute "*/5/2": more than one "/""#),
        ("/5 * * * *", #"invalid minute "/5""#),
        // Ranges.
        ("30-10 * * * *", #"invalid minute range "30-10": start is after end"#),
        ("0 0 * * FRI-MON", #"invalid day-of-week range "FRI-MON": start is after end"#),
        ("0 0 * DEC-JAN *", #"invalid month range "DEC-JAN": start is after end"#),
        ("-5 * * * *", #"invalid minute range "-5""#),
        ("5- * * * *", #"invalid minute range "5-""#),
        ("1-2-3 * * * *", #"invalid minute range "1-2-3""#),
        ("*-5 * * * *", #"invalid minute "*""#),
        // Lists.
        ("1,,2 * * * *", #"invalid minute "1,,2": empty list item"#),
        ("5, * * * *", #"invalid minute "5,": empty list item"#),
        ("0 0 ,1 * *", #"invalid day-of-month ",1": empty list item"#),
    ]

    @Test("invalid expressions are rejected with an exact message", arguments: cases)
    func rejected(expression: String, message: String) {
        #expect(throws: CronError(message)) {
            try CronExpression(parsing: expression)
        }
    }

    @Test("error description is the message")
    func description() {
        do {
            _ = try CronExpression(parsing: "61 * * * *")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "minute 61 out of range 0-59")
            #expect(error.message == error.description)
        }
    }
}
