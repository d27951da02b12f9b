import Foundation
import Synchronization

/// Where the hub reads the time. Deciders never read it: the hub passes `now` in.
public protocol HubClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: HubClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told: tests and the demo drive the hub through virtual time with
/// `Hub.advance(to:)`, which sets it.
public final class ManualClock: HubClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) {
        current.withLock { $0 = max($0, date) }
    }
}
