internal import Dispatch
internal import Synchronization

/// The event log: append-only, hash-chained and LZ4-compressed, in a SQLite file or a PostgreSQL database.
///
/// Appends check each stream's expected version, get the next `seq` and chain hash at once, and become durable in
/// a group commit: one writer takes every queued event, writes them in one transaction and resumes everyone
/// waiting on that commit. An `append` that finds the writer idle is that writer, on its own thread.
///
/// ```swift
/// let journal = try Journal(path: "fleet.journal")
/// let recorded = try await journal.append(stream: "updaterun/run-1", expected: .noStream, events: [initialized])
/// try journal.scan(after: 0) { event in state = evolve(state, event) }
/// ```
///
/// # Thread safety
/// All methods are thread-safe. Submissions are ordered by one lock; the store (`JournalStore`) is written only on
/// a serial writer queue (on a lone appender's thread, through `queue.sync`); reads use pooled read-only
/// connections and see committed rows only.
///
/// - Warning: Write a file or database through one `Journal` at a time, in one process. The journal keeps the end of
///   the chain and the stream versions in memory; a second writer would fork the chain (a commit that no longer
///   extends the log then fails). Several hubs may open one PostgreSQL journal read-only and take turns writing it through
///   `campaign(holder:address:lease:)` and `promote(epoch:)`: the leader epoch fences off all but the newest.
public final class Journal: Sendable {
    private struct State: Sendable {
        var isClosed = false
        /// The error of a failed commit: the file's state is unknown, so every later write is refused with it.
        var failure: JournalError?
        var lastSeq: Int64
        var lastHash: [UInt8]
        /// Current versions (including queued events) of recently written streams; past `streamVersionLimit`
        /// the versions of durable streams are dropped and read from the file again when next needed.
        var streamVersions: [String: Int64] = [:]
        /// Assigned events waiting for the writer, in seq order.
        var queued: [RecordedEvent] = []
        /// True while a writer job is queued or running; it will look at `queued` again before it stops.
        var writerScheduled = false
        var durableSeq: Int64
        var waiters: [Waiter] = []
        var commitCount: Int64 = 0
        /// Callers the last commit resumed, and how long it took: what `gather()` waits for, and at most how long.
        var lastResumed = 0
        var lastCommitNanoseconds: UInt64 = 0
        /// Set while the writer gathers: signalled once this many callers wait.
        var gathering: (callers: Int, ready: DispatchSemaphore)?
        /// Commits made by callers on their own threads (`commitAlone`) since one of them or the writer last let
        /// other callers join a commit.
        var aloneCommits = 0
    }

    /// Resumed with the outcome of the commit a caller waits on.
    private typealias Resumption = CheckedContinuation<Result<Void, JournalError>, Never>

    private struct Waiter: Sendable {
        let seq: Int64
        let continuation: Resumption
    }

    private let state: Mutex<State>
    let store: any JournalStore

    /// Opens the journal file at `path`, creating it when absent.
    ///
    /// The file uses WAL mode and `synchronous = FULL` (or `NORMAL` when asked), and gets the DDL of
    /// `schema/journal.sql`.
    ///
    /// - Parameters:
    ///   - path: A file path (not `:memory:`: readers use their own connections).
    ///   - seedDictionary: For a new file, the first LZ4 dictionary (id 1), used from the first event: typically
    ///     a few dozen representative payloads. Only its last 64 KiB count. Ignored when the file already exists.
    ///   - readOnly: Open for reading only, even on a read-only file system: nothing is written, and every write
    ///     fails with `JournalError.readOnly`.
    ///   - synchronous: What "durable" means for this connection's commits; `.full` unless the caller accepts
    ///     losing the newest commits to a power loss.
    /// - Throws: `JournalError.sqlite` when the file cannot be opened or set up, `.unsupportedSchema` for a file
    ///   of another schema version, `.corrupt` when its newest dictionary or payloads do not decode.
    public convenience init(
        path: String, seedDictionary: [UInt8]? = nil, readOnly: Bool = false, synchronous: Synchronous = .full
    ) throws(JournalError) {
        try self.init(
            path: path, seedDictionary: seedDictionary, readOnly: readOnly, synchronous: synchronous, traceWrites: nil)
    }

    /// Opens the journal `location` names: a SQLite file, or a PostgreSQL database (its tables created when
    /// absent, from `schema/journal-postgres.sql`). The other parameters mean what they mean for a file; on
    /// PostgreSQL `synchronous` sets `synchronous_commit` (see `Synchronous`).
    ///
    /// ```swift
    /// let journal = try Journal(location: JournalLocation("postgres://flotilla@127.0.0.1:5432/fleet"))
    /// ```
    ///
    /// - Throws: As `init(path:...)`; for PostgreSQL `JournalError.postgres` when the server cannot be reached or
    ///   refuses the schema.
    public convenience init(
        location: JournalLocation, seedDictionary: [UInt8]? = nil, readOnly: Bool = false,
        synchronous: Synchronous = .full
    ) throws(JournalError) {
        switch location {
        case .file(let path):
            try self.init(path: path, seedDictionary: seedDictionary, readOnly: readOnly, synchronous: synchronous)
        case .postgres(let url):
            let store = try PostgresStore(
                url: url, seedDictionary: seedDictionary, readOnly: readOnly, synchronous: synchronous,
                queue: Self.writerQueue())
            self.init(store: store, readOnly: readOnly)
        }
    }

    /// Opens the journal file; `traceWrites` receives the SQL of every statement the writer runs after opening.
    convenience init(
        path: String, seedDictionary: [UInt8]?, readOnly: Bool = false, synchronous: Synchronous = .full,
        traceWrites: (@Sendable (String) -> Void)?
    ) throws(JournalError) {
        let store = try SQLiteStore(
            path: path, seedDictionary: seedDictionary, readOnly: readOnly, synchronous: synchronous,
            queue: Self.writerQueue(), traceWrites: traceWrites)
        self.init(store: store, readOnly: readOnly)
    }

    /// A journal over an opened store, carrying on from where its log ends.
    private init(store: any JournalStore, readOnly: Bool) {
        self.store = store
        self.state = Mutex(
            State(
                failure: readOnly ? .readOnly : nil, lastSeq: store.lastSeq, lastHash: store.lastHash,
                durableSeq: store.lastSeq))
    }

    /// The serial queue every write of one journal runs on.
    private static func writerQueue() -> DispatchQueue {
        DispatchQueue(label: "flotilla.journal.writer", qos: .userInitiated)
    }

    /// Validates, orders and queues writes, and returns at once with their events as they will be recorded.
    ///
    /// Each write's expected version is checked against its stream's current version, which counts earlier
    /// submissions that are not durable yet; writes to the same stream within one call see each other. Events get
    /// consecutive `seq`s, stream versions and chain hashes in the order given. The whole call is all-or-nothing:
    /// a conflict throws and assigns nothing.
    ///
    /// ```swift
    /// let submission = try journal.submit([StreamWrite(stream: "run/a", expected: .exact(2), events: [done])])
    /// try await submission.durable()
    /// ```
    ///
    /// With `deferringCommit`, the events wait for the first `waitUntilDurable` (or `durable()`) to start their
    /// commit, so a caller that submits several times before it waits gets one commit for them all.
    ///
    /// - Throws: `JournalError.versionConflict`; `.closed`; or the error of an earlier failed commit, after which
    ///   the journal accepts no more writes.
    public func submit(_ writes: [StreamWrite], deferringCommit: Bool = false) throws(JournalError) -> Submission {
        let (events, startWriter) = try state.withLock { state throws(JournalError) -> ([RecordedEvent], Bool) in
            try Self.checkWritable(state)
            var versions: [String: Int64] = [:]
            var events: [RecordedEvent] = []
            var seq = state.lastSeq
            var hash = state.lastHash
            for write in writes {
                let current: Int64
                if let staged = versions[write.stream] {
                    current = staged
                } else {
                    current = try currentVersion(of: write.stream, in: &state)
                }
                guard write.expected.admits(current) else {
                    throw .versionConflict(stream: write.stream, expected: write.expected, actual: current)
                }
                var version = current
                for event in write.events {
                    seq += 1
                    version += 1
                    hash = ChainHash.hash(
                        previous: hash, seq: seq, stream: write.stream, version: version, type: event.type,
                        time: event.time, actor: event.actor, payload: event.payload)
                    events.append(
                        RecordedEvent(
                            seq: seq, stream: write.stream, version: version, type: event.type, time: event.time,
                            actor: event.actor, payload: event.payload, hash: hash))
                }
                versions[write.stream] = version
            }
            state.streamVersions.merge(versions) { _, staged in staged }
            guard !events.isEmpty else { return ([], false) }
            state.lastSeq = seq
            state.lastHash = hash
            state.queued.append(contentsOf: events)
            return (events, deferringCommit ? false : Self.scheduleWriter(&state))
        }
        if startWriter {
            store.queue.async { self.runWriter() }
        }
        return Submission(events: events, journal: events.isEmpty ? nil : self)
    }

    /// Appends and returns once the events are durable. When the writer is idle the caller commits them itself, on
    /// its own thread, which it holds for the commit; otherwise it suspends until a group commit holds them.
    ///
    /// - Throws: As `submit(_:)`, or the error of the commit that should have held the events.
    public func append(_ writes: [StreamWrite]) async throws(JournalError) -> [RecordedEvent] {
        // Deferred, so that an appender that finds the writer idle commits the events itself.
        let submission = try submit(writes, deferringCommit: true)
        guard let last = submission.events.last else { return [] }
        switch claimCommit(through: last.seq) {
        case .settled(let settled):
            try settled.get()
        case .busy:
            try await waitUntilDurable(through: last.seq)
        case .claimed(let yielding):
            if yielding { await Task.yield() }
            try commitAlone(through: last.seq).get()
        }
        return submission.events
    }

    /// Appends events to one stream and returns once they are durable.
    public func append(
        stream: String, expected: ExpectedVersion, events: [NewEvent]
    ) async throws(JournalError) -> [RecordedEvent] {
        try await append([StreamWrite(stream: stream, expected: expected, events: events)])
    }

    /// The last assigned seq, durable or not; 0 for an empty journal.
    public var lastSeq: Int64 {
        state.withLock { $0.lastSeq }
    }

    /// The last seq whose commit is durable.
    public var durableSeq: Int64 {
        state.withLock { $0.durableSeq }
    }

    /// For a journal opened read-only beside the hub that writes it: learns what that writer has committed since,
    /// so that reads see it. Returns the newest committed seq. `committed`, when the caller just learnt it (from
    /// `waitForCommit(after:timeout:)`), saves asking the store again.
    ///
    /// - Throws: `JournalError.notReadOnly` for a journal this instance writes: its own commits are what it knows.
    public func refresh(committed known: Int64? = nil) throws(JournalError) -> Int64 {
        guard state.withLock({ $0.failure == .readOnly }) else { throw .notReadOnly }
        let committed: Int64
        if let known { committed = known } else { committed = try store.committedSeq() }
        return state.withLock { state in
            state.durableSeq = max(state.durableSeq, committed)
            state.lastSeq = state.durableSeq
            return state.durableSeq
        }
    }

    /// Makes a journal opened read-only the writer under `epoch`, the epoch its hub won with
    /// `campaign(holder:address:lease:)`: it catches up to the committed tip (seq, chain hash, compression state),
    /// forgets the stream versions it cached, and from then on takes appends, which the store accepts for as long
    /// as `epoch` is the leader's. A journal that `demote()` stopped, or whose writes a newer leader refused
    /// (`JournalError.deposed`), may be promoted again under a newer epoch; a writer (such as the first hub on a
    /// new database, which opened it writable to create the tables) first commits what it has queued under its
    /// old epoch.
    ///
    /// ```swift
    /// let leadership = try journal.campaign(holder: "hub-b", address: "https://hub-b:8443", lease: .seconds(10))
    /// if leadership.isHeld(by: "hub-b") { try journal.promote(epoch: leadership.epoch) }
    /// ```
    ///
    /// - Throws: `JournalError.closed`; `.cannotPromote` for a SQLite file (it has one hub, which opens it
    ///   writable); a store error when the tip cannot be read.
    public func promote(epoch: Int64) throws(JournalError) {
        try store.queue.sync { () -> Result<Void, JournalError> in
            Result { () throws(JournalError) in
                if state.withLock({ $0.isClosed }) { throw .closed }
                commitQueued()
                let tip = try store.writer.promote(epoch: epoch)
                state.withLock { state in
                    state.failure = nil
                    state.lastSeq = tip.lastSeq
                    state.lastHash = tip.lastHash
                    state.durableSeq = tip.lastSeq
                    state.streamVersions = [:]
                }
            }
        }.get()
    }

    /// Stops this writer, as a leader must once its lease may have ended: events not yet committed are dropped
    /// and their callers fail with `JournalError.readOnly`, as does every later write; a commit already running
    /// finishes first. Reads go on, `refresh()` follows the new leader, and `promote(epoch:)` makes this instance
    /// write again.
    public func demote() {
        store.queue.sync {
            fail(with: .readOnly)
            state.withLock { state in
                state.failure = .readOnly
                state.lastSeq = state.durableSeq
                state.streamVersions = [:]
            }
        }
    }

    /// Commits this instance has made since it was opened. Group commit keeps it below the number of appends
    /// when they arrive together.
    public var commitCount: Int64 {
        state.withLock { $0.commitCount }
    }

    /// The stream's current version, counting submitted events that are not durable yet; 0 when absent.
    public func streamVersion(_ stream: String) throws(JournalError) -> Int64 {
        try state.withLock { state throws(JournalError) in
            if state.isClosed { throw .closed }
            return try currentVersion(of: stream, in: &state)
        }
    }

    /// Commits what is queued, then closes the file. Later calls fail with `JournalError.closed`; calling `close`
    /// again does nothing.
    public func close() {
        let wasOpen = state.withLock { state in
            defer { state.isClosed = true }
            return !state.isClosed
        }
        guard wasOpen else { return }
        store.queue.sync {
            commitQueued()
            store.writer.close()
        }
        store.closeReaders()
    }

    /// Suspends until the commit holding `seq` is durable, or fails with the error that stopped it.
    public func waitUntilDurable(through seq: Int64) async throws(JournalError) {
        let result = await withCheckedContinuation { (continuation: Resumption) in
            let (settled, startWriter, gathered) = state.withLock {
                state -> (Result<Void, JournalError>?, Bool, DispatchSemaphore?) in
                if state.durableSeq >= seq { return (.success(()), false, nil) }
                if let failure = state.failure { return (.failure(failure), false, nil) }
                state.waiters.append(Waiter(seq: seq, continuation: continuation))
                var gathered: DispatchSemaphore?
                if let gathering = state.gathering, state.waiters.count >= gathering.callers {
                    gathered = gathering.ready
                    state.gathering = nil
                }
                return (nil, Self.scheduleWriter(&state), gathered)
            }
            gathered?.signal()
            if startWriter {
                store.queue.async { self.runWriter() }
            }
            if let settled {
                continuation.resume(returning: settled)
            }
        }
        try result.get()
    }

    /// The lone appender's claim. When `seq` waits, no writer job is queued or running and the writer would not
    /// gather (see `gatherBudget`), the caller becomes the writer: it commits everything queued on its own thread
    /// (`queue.sync` runs there when the queue is idle) and needs no hop to the writer thread and back. Callers that
    /// arrive meanwhile queue behind it, and a writer job started at its end commits them together.
    ///
    /// Only `append` commits this way. `waitUntilDurable` always suspends: its caller may be an actor (the hub),
    /// which takes more work while it waits, and that work shares the next commit.
    private func claimCommit(through seq: Int64) -> WriterClaim {
        state.withLock { state -> WriterClaim in
            if state.durableSeq >= seq { return .settled(.success(())) }
            if let failure = state.failure { return .settled(.failure(failure)) }
            guard !state.writerScheduled, !state.isClosed, !state.queued.isEmpty,
                Self.gatherBudget(
                    lastResumed: state.lastResumed, waiting: state.waiters.count,
                    lastCommitNanoseconds: state.lastCommitNanoseconds) == nil
            else { return .busy }
            state.writerScheduled = true
            let yielding = state.aloneCommits == Self.aloneCommitLimit
            state.aloneCommits = yielding ? 0 : state.aloneCommits + 1
            return .claimed(yielding: yielding)
        }
    }

    /// Commits what is queued on the caller's thread, for the caller that claimed the writer's job.
    private func commitAlone(through seq: Int64) -> Result<Void, JournalError> {
        store.queue.sync { commitQueued() }
        let (again, settled) = state.withLock { state -> (Bool, Result<Void, JournalError>) in
            state.writerScheduled = !state.queued.isEmpty && state.failure == nil
            let settled: Result<Void, JournalError> =
                state.durableSeq >= seq ? .success(()) : .failure(state.failure ?? .closed)
            return (state.writerScheduled, settled)
        }
        if again {
            store.queue.async { self.runWriter() }
        }
        return settled
    }

    /// Commits in a row that callers may make alone before one yields first. A caller that commits alone never
    /// suspends, so when every thread of the pool is busy the other appenders cannot run to join its commit, and
    /// each would commit alone in turn. One in this many yields between its claim and its commit; the others then
    /// run, queue behind its claim, and share its commit, and group commit takes over while they keep coming
    /// (`gatherBudget`). A lone appender pays a yield once in this many appends.
    static let aloneCommitLimit = 32

    /// What `claimCommit` found: the outcome already known, a writer at work (or due to gather), or the writer's
    /// job handed to the caller, which yields before its commit when `yielding`.
    private enum WriterClaim {
        case settled(Result<Void, JournalError>)
        case busy
        case claimed(yielding: Bool)
    }

    /// Stores a checkpoint after committing everything queued before it.
    func saveCheckpoint(seq: Int64, rawLength: Int, stored: [UInt8], retained: Int) async throws(JournalError) {
        let result = await withCheckedContinuation { (continuation: Resumption) in
            store.queue.async {
                self.commitQueued()
                if let failure = self.state.withLock({ $0.failure }) {
                    continuation.resume(returning: .failure(failure))
                    return
                }
                do throws(JournalError) {
                    try self.store.writer.saveCheckpoint(seq: seq, rawLength: rawLength, stored: stored, retained: retained)
                    continuation.resume(returning: .success(()))
                } catch {
                    if error != .closed {
                        self.fail(with: error)
                    }
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
    }

    /// Throws when the journal takes no more writes.
    private static func checkWritable(_ state: State) throws(JournalError) {
        if state.isClosed { throw .closed }
        if let failure = state.failure { throw failure }
    }

    /// The last assigned seq, or the reason the journal takes no more writes.
    func writableLastSeq() throws(JournalError) -> Int64 {
        try state.withLock { state throws(JournalError) in
            try Self.checkWritable(state)
            return state.lastSeq
        }
    }

    /// The stream's version from the cache, else from the file (then no queued event can touch it yet).
    private func currentVersion(of stream: String, in state: inout State) throws(JournalError) -> Int64 {
        if let version = state.streamVersions[stream] {
            return version
        }
        let version = try store.storedVersion(of: stream)
        state.streamVersions[stream] = version
        return version
    }

    /// Streams whose versions are kept in memory before the durable ones are forgotten: every run is a stream,
    /// so a long-lived hub would otherwise keep one entry per run it ever had.
    static let streamVersionLimit = 10_000

    /// What "durable" means for the writer's commits, as the database reports the setting they run with.
    func writerSynchronousSetting() throws(JournalError) -> Synchronous {
        try store.queue.sync { () -> Result<Synchronous, JournalError> in
            Result { () throws(JournalError) in try store.writer.synchronousSetting() }
        }.get()
    }

    /// Stream versions held in memory now.
    var cachedStreamVersions: Int { state.withLock { $0.streamVersions.count } }

    /// Marks a writer job scheduled when events wait and none is; true when the caller must start it.
    private static func scheduleWriter(_ state: inout State) -> Bool {
        guard !state.writerScheduled, !state.queued.isEmpty else { return false }
        state.writerScheduled = true
        return true
    }

    /// One writer job: commit what is queued, then run again if more arrived meanwhile.
    private func runWriter() {
        gather()
        commitQueued()
        let again = state.withLock { state in
            state.aloneCommits = 0
            state.writerScheduled = !state.queued.isEmpty && state.failure == nil
            return state.writerScheduled
        }
        if again {
            store.queue.async { self.runWriter() }
        }
    }

    /// Group commit's gathering. Callers that one commit released tend to append again together, but the first of
    /// them starts the writer alone; without this the commits alternate between one caller and all the others.
    /// So the writer waits as `gatherBudget` says, until as many callers wait again or the budget runs out.
    private func gather() {
        let ready = DispatchSemaphore(value: 0)
        let budget = state.withLock { state -> UInt64? in
            guard state.failure == nil, !state.isClosed,
                let budget = Self.gatherBudget(
                    lastResumed: state.lastResumed, waiting: state.waiters.count,
                    lastCommitNanoseconds: state.lastCommitNanoseconds)
            else { return nil }
            state.gathering = (state.lastResumed, ready)
            return budget
        }
        guard let budget else { return }
        _ = ready.wait(timeout: .now() + .nanoseconds(Int(budget)))
        state.withLock { $0.gathering = nil }
    }

    /// The longest the writer gathers callers before a commit.
    static let gatherLimitNanoseconds: UInt64 = 2_000_000

    /// Fewest callers one commit must have resumed before the writer gathers for the next. The hub often has two
    /// waiting on one commit (a request and a controller step) that then come back apart; waiting for the second
    /// would only delay the first, so a pair does not count as a crowd.
    static let gatherMinimumCallers = 3

    /// How long the writer waits for callers before committing, or nil when it commits at once: only after a commit
    /// that resumed at least `gatherMinimumCallers`, while fewer than that wait, and for at most as long as that
    /// commit took (a caller that misses the gathering would have waited that long for the next commit anyway),
    /// within `gatherLimitNanoseconds`. A lone appender, the hub's usual case, never waits.
    static func gatherBudget(lastResumed: Int, waiting: Int, lastCommitNanoseconds: UInt64) -> UInt64? {
        guard lastResumed >= gatherMinimumCallers, waiting < lastResumed else { return nil }
        return min(lastCommitNanoseconds, gatherLimitNanoseconds)
    }

    /// Takes every queued event, commits them in one transaction, and resumes the waiters it made durable.
    private func commitQueued() {
        let batch = state.withLock { state in
            defer { state.queued = [] }
            return state.queued
        }
        guard let last = batch.last else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        do throws(JournalError) {
            let created = try store.writer.commit(batch)
            let took = DispatchTime.now().uptimeNanoseconds - started
            for dictionary in created {
                store.dictionaries.insert(id: dictionary.id, bytes: dictionary.bytes)
            }
            let resumed = state.withLock { state in
                state.durableSeq = last.seq
                state.commitCount += 1
                if state.streamVersions.count > Self.streamVersionLimit {
                    var queued: [String: Int64] = [:]
                    for event in state.queued { queued[event.stream] = event.version }
                    state.streamVersions = queued
                }
                let (ready, waiting) = state.waiters.split { $0.seq <= last.seq }
                state.waiters = waiting
                state.lastResumed = ready.count
                state.lastCommitNanoseconds = took
                return ready
            }
            for waiter in resumed {
                waiter.continuation.resume(returning: .success(()))
            }
        } catch {
            fail(with: error)
        }
    }

    /// Records a failed write: every waiter fails with `error`, and so does every later write.
    private func fail(with error: JournalError) {
        let resumed = state.withLock { state in
            if state.failure == nil {
                state.failure = error
            }
            state.queued = []
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in resumed {
            waiter.continuation.resume(returning: .failure(error))
        }
    }
}

extension Array {
    /// Splits into the elements that satisfy `isIncluded` and the rest, each in order.
    fileprivate func split(_ isIncluded: (Element) -> Bool) -> (included: [Element], excluded: [Element]) {
        var included: [Element] = []
        var excluded: [Element] = []
        for element in self {
            if isIncluded(element) {
                included.append(element)
            } else {
                excluded.append(element)
            }
        }
        return (included, excluded)
    }
}
