import Foundation

/// A five-field cron expression, `minute hour day-of-month month day-of-week`, each field `*`, a number, a range
/// `a-b`, a step `*/n`, `a-b/n` or `a/n`, or a list of these: when a schedule window opens. As in cron, when both
/// day fields are restricted a day matching either matches; day of week 0 and 7 are both Sunday.
public struct CronSchedule: Sendable, Hashable {
    public struct ParseError: Error, Hashable, CustomStringConvertible {
        public var description: String
    }

    let minutes: [Int]
    let hours: [Int]
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    public init(parsing text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw ParseError(description: "must have 5 fields (minute hour day-of-month month day-of-week), not \(fields.count)")
        }
        minutes = try Self.field(fields[0], "minute", 0...59).sorted()
        hours = try Self.field(fields[1], "hour", 0...23).sorted()
        days = try Self.field(fields[2], "day-of-month", 1...31)
        months = try Self.field(fields[3], "month", 1...12)
        weekdays = Set(try Self.field(fields[4], "day-of-week", 0...7).map { $0 % 7 })
        daysRestricted = !fields[2].hasPrefix("*")
        weekdaysRestricted = !fields[4].hasPrefix("*")
    }

    /// The first start strictly after `date`, in `timeZone`; nil if none within five years (`0 0 31 2 *`).
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        search(from: date, in: timeZone, step: 1) { $0 > date }
    }

    /// The last start at or before `date`, in `timeZone`; nil if none within five years.
    public func previous(atOrBefore date: Date, in timeZone: TimeZone) -> Date? {
        search(from: date, in: timeZone, step: -1) { $0 <= date }
    }

    /// Walks day by day from `date`'s day, trying each matching day's times in the walk's direction.
    private func search(from date: Date, in timeZone: TimeZone, step: Int, accept: (Date) -> Bool) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.startOfDay(for: date)
        let times = hours.flatMap { hour in minutes.map { (hour, $0) } }
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let year = parts.year, let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday,
                matches(day: dayOfMonth, month: month, weekday: weekday - 1)
            {
                for (hour, minute) in step > 0 ? times : times.reversed() {
                    let components = DateComponents(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                    if let candidate = calendar.date(from: components), accept(candidate) { return candidate }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: step, to: day) else { return nil }
            day = following
        }
        return nil
    }

    func matches(day: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dayMatches = days.contains(day)
        let weekdayMatches = weekdays.contains(weekday)
        return daysRestricted && weekdaysRestricted ? dayMatches || weekdayMatches : dayMatches && weekdayMatches
    }

    private static func field(_ text: Substring, _ name: String, _ range: ClosedRange<Int>) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(description: "\(name) field \"\(part)\" has more than one step") }
            var step = 1
            if pieces.count == 2 {
                guard let number = number(pieces[1]), number >= 1 else {
                    throw ParseError(description: "\(name) field \"\(part)\": the step must be a positive integer")
                }
                step = number
            }
            let bounds: (Int, Int)
            if pieces[0] == "*" {
                bounds = (range.lowerBound, range.upperBound)
            } else if let dash = pieces[0].firstIndex(of: "-") {
                guard let low = number(pieces[0][..<dash]), let high = number(pieces[0][pieces[0].index(after: dash)...]),
                    low <= high
                else { throw ParseError(description: "\(name) field \"\(part)\": a range is low-high, low no more than high") }
                bounds = (low, high)
            } else if let value = number(pieces[0]) {
                bounds = (value, pieces.count == 2 ? range.upperBound : value)
            } else {
                throw ParseError(description: "\(name) field \"\(part)\": expected *, a number, a range or a step")
            }
            guard range.contains(bounds.0), range.contains(bounds.1) else {
                throw ParseError(
                    description: "\(name) field \"\(part)\": values must be from \(range.lowerBound) to \(range.upperBound)")
            }
            values.formUnion(stride(from: bounds.0, through: bounds.1, by: step))
        }
        return values
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }
}
