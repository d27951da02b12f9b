import Foundation
import Testing
@testable import FleetAPI

/// The cron expressions of schedule windows: fields, ranges, steps and lists, both day fields, and time zones.
struct CronScheduleTests {
    let utc = TimeZone(identifier: "UTC")!

    func date(_ text: String) -> Date { KubeTime.parse(text)! }

    func next(_ schedule: String, after: String, in zone: String = "UTC") throws -> String? {
        try CronSchedule(parsing: schedule).next(after: date(after), in: TimeZone(identifier: zone)!).map(KubeTime.format)
    }

    @Test func stepsAndRangesSkipToTheNextWorkingMorning() throws {
        // 2025-07-22 is a Tuesday.
        #expect(try next("*/15 9-17 * * 1-5", after: "2025-07-22T17:45:00Z") == "2025-07-23T09:00:00Z")
        #expect(try next("*/15 9-17 * * 1-5", after: "2025-07-22T17:44:59Z") == "2025-07-22T17:45:00Z")
        #expect(try next("*/15 9-17 * * 1-5", after: "2025-07-25T17:45:00Z") == "2025-07-28T09:00:00Z")
    }

    @Test func listsAndStepsFromAValue() throws {
        #expect(try next("0,30 * * * *", after: "2025-07-22T21:25:00Z") == "2025-07-22T21:30:00Z")
        #expect(try next("10/20 * * * *", after: "2025-07-22T21:31:00Z") == "2025-07-22T21:50:00Z")
        #expect(try next("0 0 1 2-12/5 *", after: "2025-07-22T21:25:00Z") == "2025-12-01T00:00:00Z")
    }

    @Test func bothDayFieldsRestrictedMatchEither() throws {
        // The 1st of the month or any Monday; Sunday is 0 or 7.
        #expect(try next("0 0 1 * 1", after: "2025-07-22T00:00:00Z") == "2025-07-28T00:00:00Z")
        #expect(try next("0 0 1 * 1", after: "2025-07-28T00:00:00Z") == "2025-08-01T00:00:00Z")
        #expect(try next("0 0 * * 7", after: "2025-07-22T00:00:00Z") == "2025-07-27T00:00:00Z")
        #expect(try next("0 0 31 2 *", after: "2025-07-22T00:00:00Z") == nil)
    }

    @Test func aTimeZoneMovesTheStartWithDaylightSaving() throws {
        #expect(try next("0 9 * * *", after: "2025-07-22T21:25:00Z", in: "Europe/Paris") == "2025-07-23T07:00:00Z")
        #expect(try next("0 9 * * *", after: "2025-12-22T21:25:00Z", in: "Europe/Paris") == "2025-12-23T08:00:00Z")
        #expect(try next("0 9 * * *", after: "2025-07-22T21:25:00Z", in: "Asia/Tokyo") == "2025-07-23T00:00:00Z")
    }

    @Test func theLatestStartAtOrBeforeAMoment() throws {
        let cron = try CronSchedule(parsing: "0 22 * * *")
        #expect(cron.previous(atOrBefore: date("2025-07-22T22:00:00Z"), in: utc).map(KubeTime.format) == "2025-07-22T22:00:00Z")
        #expect(cron.previous(atOrBefore: date("2025-07-22T21:59:59Z"), in: utc).map(KubeTime.format) == "2025-07-21T22:00:00Z")
    }

    @Test func malformedExpressionsSayWhichFieldAndWhy() {
        let cases: [(String, String)] = [
            ("* * * *", "must have 5 fields (minute hour day-of-month month day-of-week), not 4"),
            ("60 * * * *", "minute field \"60\": values must be from 0 to 59"),
            ("*/0 * * * *", "minute field \"*/0\": the step must be a positive integer"),
            ("* 5-1 * * *", "hour field \"5-1\": a range is low-high, low no more than high"),
            ("* * x * *", "day-of-month field \"x\": expected *, a number, a range or a step"),
            ("* * * 0 *", "month field \"0\": values must be from 1 to 12"),
            ("* * * * 1/2/3", "day-of-week field \"1/2/3\" has more than one step"),
        ]
        for (text, message) in cases {
            #expect(throws: CronSchedule.ParseError(description: message)) { try CronSchedule(parsing: text) }
        }
    }

    @Test func aWindowIsOpenFromEachStartForItsDuration() {
        let window = ScheduleWindow(schedule: "0 22 * * *", duration: GoDuration(milliseconds: 3_600_000))
        #expect(window.gate(at: date("2025-07-22T21:59:59Z")) == (false, date("2025-07-22T22:00:00Z")))
        #expect(window.gate(at: date("2025-07-22T22:00:00Z")) == (true, date("2025-07-22T23:00:00Z")))
        #expect(window.gate(at: date("2025-07-22T23:00:00Z")) == (false, date("2025-07-23T22:00:00Z")))
        var deny = window
        deny.deny = true
        #expect(deny.gate(at: date("2025-07-22T22:30:00Z")) == (false, date("2025-07-22T23:00:00Z")))
        #expect(deny.gate(at: date("2025-07-22T23:00:00Z")) == (true, date("2025-07-23T22:00:00Z")))
    }
}
