import Foundation

/// A `ScheduleWindow` before-stage task's window (Flotilla): the cron `schedule` opens it for `duration`, in
/// `timeZone` (an IANA name, UTC when omitted). An allow window lets the stage start only inside it; a deny window
/// (`deny: true`) never inside it.
public struct ScheduleWindow: Codable, Sendable, Hashable {
    public var schedule: String
    public var duration: GoDuration
    public var timeZone: String?
    public var deny: Bool?

    public init(schedule: String, duration: GoDuration, timeZone: String? = nil, deny: Bool? = nil) {
        self.schedule = schedule
        self.duration = duration
        self.timeZone = timeZone
        self.deny = deny
    }

    public var denies: Bool { deny == true }

    /// The window's zone: UTC when none is named; nil for a name Foundation does not know (validation refuses it).
    public var zone: TimeZone? {
        guard let timeZone else { return TimeZone(identifier: "UTC") }
        return TimeZone(identifier: timeZone)
    }

    /// Whether a stage may start at `now`, and when that next changes: the window's end when `now` is inside one,
    /// else the next window's start; nil when the schedule never starts again (within five years).
    public func gate(at now: Date) -> (open: Bool, until: Date?) {
        guard let cron = try? CronSchedule(parsing: schedule), let zone else { return (false, nil) }
        let length = Double(duration.milliseconds) / 1000
        // The latest start's window ends last: an earlier start's window, however long, ends before it.
        if let start = cron.previous(atOrBefore: now, in: zone), now < start.addingTimeInterval(length) {
            return (!denies, start.addingTimeInterval(length))
        }
        return (denies, cron.next(after: now, in: zone))
    }
}
