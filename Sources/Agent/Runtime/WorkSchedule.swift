public import FleetAPI
public import KubeClient

/// What the agent does next, and when: the newest copy of each Work seen on the hub, when each is due, its
/// requeue backoff, and the Works whose objects are to be removed. Pure (the caller passes `now`), so the
/// requeueing is tested without a clock or a server.
public struct WorkSchedule: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// One thing to do.
    public enum Item: Sendable, Hashable {
        /// Apply the Work and report its status.
        case reconcile(String)
        /// Remove what a Work gone from the hub applied.
        case remove(String)
    }

    public private(set) var works: [String: JSON] = [:]
    var due: [Item: Instant] = [:]
    var backoffs: [Item: RequeueBackoff] = [:]
    var lastPass: [String: String] = [:]

    public init() {}

    /// Folds in what the hub's watch saw: a new Work or a new generation is due at once (a status-only change,
    /// such as the agent's own write, is not); a Work gone is due for removal.
    public mutating func observe(_ event: ReflectorEvent, now: Instant) {
        switch event {
        case .synced(let items):
            let listed = Dictionary(items.compactMap { item in name(of: item).map { ($0, item) } }) { first, _ in first }
            for name in works.keys where listed[name] == nil { forget(name, now: now) }
            for (name, work) in listed { update(name, work, now: now) }
        case .added(let work), .modified(let work):
            if let name = name(of: work) { update(name, work, now: now) }
        case .deleted(let work):
            if let name = name(of: work) { forget(name, now: now) }
        }
    }

    /// Works that left objects on the member but are not on the hub: removed, unless one has come back.
    public mutating func orphaned(_ names: [String], now: Instant) {
        for name in names where works[name] == nil { schedule(.remove(name), at: now) }
    }

    /// The item due soonest, if it is due by `now`.
    public func next(now: Instant) -> Item? {
        guard let first = due.min(by: { $0.value < $1.value }), first.value <= now else { return nil }
        return first.key
    }

    /// After a pass over a Work: requeued with its backoff, back to the start when its generation or the outcome
    /// changed, the fast stage when it is available or diff-reported. Returns the delay.
    @discardableResult
    public mutating func reconciled(
        _ name: String, generation: Int64, outcomes: [ManifestOutcome], settled: Bool, now: Instant
    ) -> Duration? {
        guard works[name] != nil else { return nil }
        let pass = "\(generation)|" + outcomes.map { "\($0.apply.reason),\($0.availability.rawValue)" }.joined(separator: ";")
        if lastPass[name] != pass { backoffs[.reconcile(name)] = RequeueBackoff() }
        lastPass[name] = pass
        let delay = backoffs[.reconcile(name), default: RequeueBackoff()].next(settled: settled)
        due[.reconcile(name)] = now + delay
        return delay
    }

    /// The status the hub now holds for a Work, written by the agent.
    public mutating func statusWritten(_ name: String, _ status: JSON?) {
        if works[name] != nil { works[name]?["status"] = status }
    }

    /// After removing a Work's objects: done, or retried with backoff.
    @discardableResult
    public mutating func removal(_ name: String, succeeded: Bool, now: Instant) -> Duration? {
        guard !succeeded else {
            due[.remove(name)] = nil
            backoffs[.remove(name)] = nil
            return nil
        }
        let delay = backoffs[.remove(name), default: RequeueBackoff()].next()
        due[.remove(name)] = now + delay
        return delay
    }

    private mutating func update(_ name: String, _ work: JSON, now: Instant) {
        let known = works[name]?["metadata"]?["generation"]?.intValue
        works[name] = work
        due[.remove(name)] = nil
        if known == nil || known != work["metadata"]?["generation"]?.intValue {
            backoffs[.reconcile(name)] = RequeueBackoff()
            due[.reconcile(name)] = now
        }
    }

    private mutating func forget(_ name: String, now: Instant) {
        works[name] = nil
        due[.reconcile(name)] = nil
        backoffs[.reconcile(name)] = nil
        lastPass[name] = nil
        schedule(.remove(name), at: now)
    }

    private mutating func schedule(_ item: Item, at now: Instant) {
        backoffs[item] = RequeueBackoff()
        due[item] = now
    }

    private func name(of work: JSON) -> String? {
        work["metadata"]?["name"]?.stringValue
    }
}
