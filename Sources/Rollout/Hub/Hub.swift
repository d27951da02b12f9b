import FleetAPI
import Foundation
import Journal
import Logging

/// The one place that touches the journal, the clock and the members. Every write is decided against the
/// current state, recorded, folded in, and followed by the controllers' reconciles until nothing more is due.
///
/// - Note: Two projections: `working` folds every event at submit time, in actor order, so a command never
///   decides on stale state while an earlier commit is still becoming durable; `state`, all that readers and
///   watchers see, folds an event only once it is durable. A resourceVersion once shown therefore names the same
///   state forever, even across a crash.
public actor Hub {
    public nonisolated let journal: Journal
    public nonisolated let clock: any HubClock
    /// Encryption at rest: the kinds whose objects the journal and checkpoints hold sealed; nil seals nothing.
    public nonisolated let sealing: Sealing?
    /// The projections as of the durable seq.
    public internal(set) var state: HubState
    /// The projections with every recorded event, durable or not: what commands and controllers decide on.
    var working: HubState
    /// How the hub reaches its members: simulated in process, or agents applying Works.
    public var members: any MemberAdapter
    /// Where MetricGate tasks' measurements come from.
    public nonisolated let metrics: any MetricSource
    /// Fleet's controllers (with the member cluster controller for agents), or a plain API server's.
    public nonisolated let controllers: ControllerSet
    let logger: Logger
    var agenda = Agenda()
    var notifier = Notifier()
    /// Failures in a row of each member's work, for the retries' backoff; a restart begins again at the first.
    var failedAttempts: [MemberAttempt: Int] = [:]
    /// What the controllers must look at: what recorded events touched since it last settled.
    var dirty: Dirty
    /// Debug builds check after every settle that a scan of every object finds nothing the dirty set missed;
    /// this counts the times it did (tests expect none).
    public internal(set) var missedByDirtySet = 0
    var timer: Task<Void, Never>?
    var timerTarget: Date?
    var realTime = false
    var feed: ChangeFeed
    /// Set once shutdown begins: new watches end at once.
    var closing = false
    /// Recorded events not yet durable, in seq order, with the changes and member work they release.
    var undurable: [Recorded] = []
    /// Why the hub refuses writes: a journal write failed, or it was opened for inspection only.
    public internal(set) var refusal: String?
    /// Events between projection checkpoints; start-up loads the newest checkpoint and replays only the tail.
    public let checkpointInterval: Int64
    var checkpointedSeq: Int64
    /// The checkpoint being written off the actor, if any.
    var checkpointWriter: Task<Void, Never>?
    /// MetricGate measurements asked for and not yet answered.
    var measuring: [MeasurementKey: Task<Void, Never>] = [:]
    /// Controller steps one settle may take before the object still changing is halted.
    let settleLimit: Int
    public let limits: WatchLimits

    /// Opens the journal at `path`, creating it when missing, and replays it: a restarted hub carries on where
    /// it stopped, re-sending unfinished member work and re-arming every deadline from its recorded time.
    ///
    /// - Throws: `HubStartError.brokenChain` when the chain after the newest verified checkpoint does not hold.
    public init(
        path: String, clock: any HubClock, members: any MemberAdapter = SimulatedMembers(), controllers: ControllerSet = .hub,
        checkpointInterval: Int64 = 10_000, settleLimit: Int = 100_000, limits: WatchLimits = WatchLimits(),
        sealing: Sealing? = nil, metrics: any MetricSource = PrometheusMetrics(), logger: Logger = Logger(label: "flotilla.hub")
    ) throws {
        try self.init(
            journal: try Self.openJournal(path: path), clock: clock, members: members, controllers: controllers,
            checkpointInterval: checkpointInterval, settleLimit: settleLimit, limits: limits, sealing: sealing,
            metrics: metrics, logger: logger)
    }

    /// Opens (or creates) the hub's journal file, with the dictionary that Fleet events compress well against.
    public static func openJournal(
        path: String, readOnly: Bool = false, synchronous: Synchronous = .full
    ) throws -> Journal {
        try openJournal(.file(path), readOnly: readOnly, synchronous: synchronous)
    }

    /// Opens (or creates) the hub's journal, a file or a PostgreSQL database, with the dictionary that Fleet events
    /// compress well against.
    public static func openJournal(
        _ location: JournalLocation, readOnly: Bool = false, synchronous: Synchronous = .full
    ) throws -> Journal {
        try Journal(
            location: location, seedDictionary: JournalDictionary.seed, readOnly: readOnly, synchronous: synchronous)
    }

    /// A hub over an open journal. With `readOnly`, a broken chain does not stop it: it serves the state up to the
    /// last good seq and refuses every write.
    public init(
        journal: Journal, clock: any HubClock, members: any MemberAdapter = SimulatedMembers(), controllers: ControllerSet = .hub,
        checkpointInterval: Int64 = 10_000, settleLimit: Int = 100_000, limits: WatchLimits = WatchLimits(),
        readOnly: Bool = false, sealing: Sealing? = nil, metrics: any MetricSource = PrometheusMetrics(),
        logger: Logger = Logger(label: "flotilla.hub")
    ) throws {
        self.journal = journal
        self.metrics = metrics
        var controllers = controllers
        // Members with agents bring the member cluster controller to a Fleet hub.
        if controllers.fleet { controllers.agents = members.agents }
        self.controllers = controllers
        self.sealing = sealing
        self.limits = limits
        self.clock = clock
        self.members = members
        self.checkpointInterval = checkpointInterval
        self.settleLimit = settleLimit
        self.logger = logger
        let restored = try Self.restore(journal, readOnly: readOnly, sealing: sealing)
        self.state = restored.state
        self.working = restored.state
        self.dirty = Dirty.everything(in: restored.state, running: controllers)
        self.checkpointedSeq = restored.checkpointSeq
        self.feed = ChangeFeed(after: restored.state.lastSeq)
        self.refusal = restored.refusal ?? (readOnly ? "it was started with --read-only" : nil)
    }

    /// Resumes unfinished work after `init`: re-issues in-flight member work, re-arms deadlines and records
    /// whatever came due while the hub was down.
    public func resume() async throws {
        guard refusal == nil else { return }
        // Only the keys that have work are sorted: copying and sorting every run, placement and binding cost more
        // than the work itself in a large fleet.
        let unfinished = working.runs.compactMap { key, run in run.isInitialized && !run.isFinished ? key : nil }
        for key in unfinished.sorted() {
            // Member work re-issued here is idempotent: a member that already holds it reports at once.
            for work in inFlightWork(working.runs[key]!) { schedule(work) }
        }
        // Rolling updates that had not reached their members: re-issued the same way.
        let rolling = working.placements.compactMap { key, placement in placement.bindings.values.contains { $0.run == nil } ? key : nil }
        for key in rolling.sorted() {
            let bindings = working.placements[key]!.bindings
            for cluster in bindings.compactMap({ $0.value.run == nil ? $0.key : nil }).sorted() {
                if let work = rolloutWork(for: cluster, of: key) { schedule(work) }
            }
        }
        try await settle()
    }

    /// Applies a user's write and everything it sets off; returns the object as it now stands. With `writer`, the
    /// write is recorded in the object's managed fields, at the hub's time.
    @discardableResult
    public func send(_ command: ObjectCommand, actor: String, writer: FieldWriter? = nil) async throws -> JSON? {
        try checkWritable()
        try record(try decide(command, writer: writer, actor: actor), actor: actor)
        try await settle()
        if case .delete = command { return nil }
        return state.render(try command.target(in: working.kinds))
    }

    /// What a write by `actor` records: the command decided on the working state, then judged by the approval rules.
    private func decide(_ command: ObjectCommand, writer: FieldWriter?, actor: String) throws -> [FleetEvent] {
        try ApprovalPolicy.review(ObjectDecider.decide(command, working, by: stamped(writer)), by: actor, in: working)
    }

    /// A write computed from the object as it stands at this moment inside the hub, as the API server's
    /// guaranteed update does: patches and status writes cannot lose a concurrent change. `compute` gets the
    /// object (nil when absent) and returns the command to decide. Returns the object before and after.
    @discardableResult
    public func send(
        to key: ObjectKey, actor: String, writer: FieldWriter? = nil, dryRun: Bool = false,
        _ compute: @Sendable (JSON?) throws -> ObjectCommand
    ) async throws -> (before: JSON?, after: JSON?) {
        let before = working.render(key)
        let command = try compute(before)
        if dryRun { return (before, try self.dryRun(command, writer: writer, actor: actor)) }
        return (before, try await send(command, actor: actor, writer: writer))
    }

    /// Decides a write without recording it: `dryRun=All`. Returns the object as it would stand, judged by the
    /// approval rules as the same write by `actor` would be.
    public func dryRun(_ command: ObjectCommand, writer: FieldWriter? = nil, actor: String = "dry-run") throws -> JSON? {
        var preview = working
        var seq = working.lastSeq
        for event in try decide(command, writer: writer, actor: actor) {
            seq += 1
            preview.evolve(Envelope(seq: seq, time: clock.now(), actor: "dry-run", event: event))
        }
        if case .delete(let key) = command { return working.render(key) }
        let key = try command.target(in: preview.kinds)
        return self.preview(preview.render(key), ofRun: key, in: &preview, seq: &seq)
    }

    /// The writer at the hub's time: managed fields say when each manager last wrote by the clock events carry.
    private func stamped(_ writer: FieldWriter?) -> FieldWriter? {
        guard var writer else { return nil }
        writer.time = KubeTime.format(clock.now())
        return writer
    }

    /// Makes a simulated member fail its work with `message`, or succeed again with nil.
    public func setMemberFailure(_ cluster: String, message: String?) {
        guard var simulated = members as? SimulatedMembers else { return }
        simulated.failing[cluster] = message
        members = simulated
    }

    public func render(_ key: ObjectKey) -> JSON? { state.render(key) }

    public func memberObjects(_ cluster: String) -> [JSON] { (state.members[cluster]?.objects ?? []).map(Sealing.presentable) }

    func checkWritable() throws(HubError) {
        if let refusal { throw .unavailable(refusal) }
    }
}

/// How many watches the hub serves at once, and how far one may fall behind before it is closed.
public struct WatchLimits: Sendable {
    public var maxWatches: Int
    public var watchBuffer: Int

    public init(maxWatches: Int = 1000, watchBuffer: Int = 1000) {
        self.maxWatches = maxWatches
        self.watchBuffer = watchBuffer
    }
}

/// Why a hub would not start.
public enum HubStartError: Error, Equatable, CustomStringConvertible {
    /// The hash chain breaks at `seq`: the journal was changed or damaged after it was written.
    case brokenChain(seq: Int64, problem: String)

    public var description: String {
        switch self {
        case .brokenChain(let seq, let problem):
            "the journal's hash chain breaks at seq \(seq): \(problem); start with --read-only to inspect it"
        }
    }
}

extension Envelope {
    /// The time an event carries into the projections: whole seconds, as Kubernetes timestamps have, so a
    /// checkpoint of the state round-trips exactly. The journal keeps the milliseconds.
    static func stateTime(millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis >= 0 ? millis / 1000 : (millis - 999) / 1000))
    }

    /// Decodes a journal record into the event it holds, its sealed objects opened when `sealing` is given.
    public init(_ record: RecordedEvent, unsealing sealing: Sealing? = nil) throws {
        let event = try record.payload.withUnsafeBufferPointer { try FleetEvent(type: record.type, payloadBytes: $0) }
        self.init(
            seq: record.seq, time: Envelope.stateTime(millis: record.time), actor: record.actor,
            event: sealing?.unseal(event) ?? event)
    }

    /// Decodes an event as replay reads it, straight from its payload bytes, sharing repeated trees through `cache`.
    public init(_ replayed: ReplayedEvent, sharing cache: JSONTreeCache? = nil) throws {
        self.init(
            seq: replayed.seq, time: Envelope.stateTime(millis: replayed.time), actor: replayed.actor,
            event: try FleetEvent(type: replayed.type, payloadBytes: replayed.payload, sharing: cache))
    }
}
