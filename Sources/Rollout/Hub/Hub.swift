import FleetAPI
import Foundation
import Journal

/// The one place that touches the journal, the clock and the members. Every write is decided against the
/// current state, recorded, folded in, and followed by the controllers' reconciles until nothing more is due.
///
/// - Note: State changes at submit time, in actor order, so a command never decides on stale state even while
///   an earlier commit is still becoming durable; callers return only once their events are durable.
public actor Hub {
    public nonisolated let journal: Journal
    public nonisolated let clock: any HubClock
    public private(set) var state = HubState()
    public var members: SimulatedMembers
    private var agenda = Agenda()
    private var timer: Task<Void, Never>?
    private var timerTarget: Date?
    private var realTime = false
    private var pending: [Submission] = []
    private var feed = ChangeFeed()
    /// Events between projection checkpoints; start-up loads the newest checkpoint and replays only the tail.
    public let checkpointInterval: Int64
    private var checkpointedSeq: Int64

    /// Opens the journal at `path`, creating it when missing, and replays it: a restarted hub carries on where
    /// it stopped, re-sending unfinished member work and re-arming every deadline from its recorded time.
    public init(
        path: String, clock: any HubClock, members: SimulatedMembers = SimulatedMembers(),
        checkpointInterval: Int64 = 10_000
    ) throws {
        self.journal = try Journal(path: path, seedDictionary: JournalDictionary.seed)
        self.clock = clock
        self.members = members
        self.checkpointInterval = checkpointInterval
        var replayed = HubState()
        if let (seq, image) = try journal.latestCheckpoint(), let saved = try? Self.decodeCheckpoint(image),
            saved.lastSeq == seq
        {
            replayed = saved
        }
        checkpointedSeq = replayed.lastSeq
        try journal.scan(after: replayed.lastSeq) { record in
            replayed.evolve(try Envelope(record))
        }
        self.state = replayed
    }

    /// A checkpoint image: the canonical JSON of every projection at one seq. An image this code cannot read (an
    /// older layout, or one that does not hold the seq it is filed under) is skipped and the journal replayed from
    /// the start instead.
    static func decodeCheckpoint(_ image: [UInt8]) throws -> HubState {
        try JSONValueDecoder().decode(HubState.self, from: try JSON.parse(image))
    }

    static func encodeCheckpoint(_ state: HubState) throws -> [UInt8] {
        try JSONValueEncoder().encode(state).serialized()
    }

    /// Writes a checkpoint of the projections at the current seq.
    public func checkpoint() async throws {
        let seq = state.lastSeq
        try await journal.saveCheckpoint(seq: seq, image: try Self.encodeCheckpoint(state))
        checkpointedSeq = max(checkpointedSeq, seq)
    }

    /// Resumes unfinished work after `init`: re-issues in-flight member work, re-arms deadlines and records
    /// whatever came due while the hub was down.
    public func resume() async throws {
        for run in state.runs.values.sorted(by: { $0.key < $1.key }) where run.isInitialized && !run.isFinished {
            for work in inFlightWork(run) { schedule(work) }
        }
        try await settle()
    }

    /// Applies a user's write and everything it sets off; returns the object as it now stands.
    @discardableResult
    public func send(_ command: ObjectCommand, actor: String) async throws -> JSON? {
        let events = try ObjectDecider.decide(command, state)
        try record(events, actor: actor)
        try await settle()
        if case .delete = command { return nil }
        return state.render(try command.target())
    }

    /// Decides a write without recording it: `dryRun=All`. Returns the object as it would stand.
    public func dryRun(_ command: ObjectCommand) throws -> JSON? {
        var preview = state
        var seq = state.lastSeq
        for event in try ObjectDecider.decide(command, state) {
            seq += 1
            preview.evolve(Envelope(seq: seq, time: clock.now(), actor: "dry-run", event: event))
        }
        if case .delete(let key) = command { return state.render(key) }
        return preview.render(try command.target())
    }

    /// Moves virtual time to `date`, doing each piece of due work at its own time.
    public func advance(to date: Date) async throws {
        while let (time, item) = agenda.popDue(at: date) {
            (clock as? ManualClock)?.set(time)
            try perform(item)
            try await settle()
        }
        (clock as? ManualClock)?.set(date)
        try await settle()
    }

    public func advance(by interval: TimeInterval) async throws {
        try await advance(to: clock.now().addingTimeInterval(interval))
    }

    /// In virtual time, moves from one piece of due work to the next until `condition` holds; false if the
    /// agenda runs dry or `limit` passes first.
    public func advance(until condition: (HubState) -> Bool, limit: TimeInterval = 86_400) async throws -> Bool {
        let end = clock.now().addingTimeInterval(limit)
        while !condition(state) {
            guard let next = agenda.next, next <= end else { return false }
            try await advance(to: next)
        }
        return true
    }

    /// Runs on the wall clock from now on: due work fires by itself.
    public func startRealTime() {
        realTime = true
        armTimer()
    }

    public func stop() {
        timer?.cancel()
        timer = nil
        realTime = false
    }

    public func setMemberFailure(_ cluster: String, message: String?) {
        members.failing[cluster] = message
    }

    public func render(_ key: ObjectKey) -> JSON? { state.render(key) }

    public func memberObjects(_ cluster: String) -> [JSON] { state.members[cluster]?.objects ?? [] }

    // MARK: Recording

    private func record(_ events: [FleetEvent], actor: String) throws {
        guard !events.isEmpty else { return }
        let millis = Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down))
        let time = Envelope.stateTime(millis: millis)
        var writes: [StreamWrite] = []
        for event in events {
            let payload = try event.payload().serialized()
            let new = NewEvent(type: event.typeName, time: millis, actor: actor, payload: payload)
            if let last = writes.last, last.stream == event.stream {
                writes[writes.count - 1].events.append(new)
            } else {
                writes.append(StreamWrite(stream: event.stream, expected: .any, events: [new]))
            }
        }
        let submission = try journal.submit(writes)
        pending.append(submission)
        for (recorded, event) in zip(submission.events, events) {
            let keys = event.affectedKeys(in: state)
            let before = Dictionary(keys.map { ($0, state.render($0)) }, uniquingKeysWith: { first, _ in first })
            state.evolve(Envelope(seq: recorded.seq, time: time, actor: actor, event: event))
            publish(keys: keys, before: before, seq: recorded.seq)
            sideEffects(of: event)
        }
    }

    private func publish(keys: [ObjectKey], before: [ObjectKey: JSON?], seq: Int64) {
        var seen = Set<ObjectKey>()
        for key in keys where seen.insert(key).inserted {
            if let object = state.render(key) {
                guard object != before[key] ?? nil else { continue }
                let type: ObjectChange.ChangeType = (before[key] ?? nil) == nil ? .added : .modified
                feed.publish(ObjectChange(type: type, key: key, object: object, resourceVersion: seq))
            } else if let old = before[key] ?? nil {
                var object = old
                object[path: ["metadata", "resourceVersion"]] = .string(String(seq))
                feed.publish(ObjectChange(type: .deleted, key: key, object: object, resourceVersion: seq))
            }
        }
    }

    // MARK: Watching

    /// The changes after `resourceVersion` followed by every later one, as they happen; nil when changes that
    /// old are no longer retained. The stream ends when the caller stops iterating.
    public func watch(after resourceVersion: Int64) -> AsyncStream<ObjectChange>? {
        guard let backlog = feed.changes(after: resourceVersion, lastSeq: state.lastSeq) else { return nil }
        let (stream, continuation) = AsyncStream<ObjectChange>.makeStream(bufferingPolicy: .unbounded)
        for change in backlog { continuation.yield(change) }
        let id = feed.add(continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// The current state and every change after it, taken together so nothing falls between them.
    public func watchFromNow() -> (state: HubState, changes: AsyncStream<ObjectChange>) {
        (state, watch(after: state.lastSeq) ?? AsyncStream { $0.finish() })
    }

    private func unsubscribe(_ id: Int) {
        feed.subscribers[id] = nil
    }

    /// Runs every controller until none has anything to record, then waits for durability and arms the next
    /// deadline.
    private func settle() async throws {
        var steps = 0
        while let (actor, events) = Controllers.step(state, now: clock.now()) {
            steps += 1
            precondition(steps < 1_000_000, "controllers did not settle")
            try record(events, actor: actor)
        }
        let submissions = pending
        pending.removeAll()
        for submission in submissions { try await submission.durable() }
        if state.lastSeq - checkpointedSeq >= checkpointInterval { try await checkpoint() }
        agenda.removeDeadlines()
        let now = clock.now()
        if let deadline = state.runs.values.compactMap({ UpdateRunController.nextDeadline($0, now: now) }).min() {
            agenda.add(.deadline, at: deadline)
        }
        armTimer()
    }

    // MARK: Members

    private func sideEffects(of event: FleetEvent) {
        guard case .clusterUpdateStarted(let ref) = event, let run = state.runs[ref.run],
            let work = work(for: ref.cluster, stage: ref.stage, of: run)
        else { return }
        schedule(work)
    }

    private func work(for cluster: String, stage: Int, of run: UpdateRunState) -> MemberWork? {
        if stage >= run.status.stagesStatus?.count ?? 0 {
            return MemberWork(cluster: cluster, placement: run.placement, action: .remove)
        }
        guard let index = run.resourceSnapshotIndex,
            let snapshot = state.placements[run.placement]?.resourceSnapshots[index]
        else { return nil }
        let objects: [JSON]
        do {
            objects = try Overrides.apply(snapshot.resources, snapshots: run.overrides[cluster] ?? [], cluster: cluster, in: state)
        } catch {
            return MemberWork(cluster: cluster, placement: run.placement, action: .fail(resourceIndex: index, message: error.description))
        }
        let action: MemberWork.Action = run.reportsDiff
            ? .reportDiff(resourceIndex: index, objects: objects) : .apply(resourceIndex: index, objects: objects)
        return MemberWork(cluster: cluster, placement: run.placement, action: action)
    }

    private func inFlightWork(_ run: UpdateRunState) -> [MemberWork] {
        var all = run.status.stagesStatus ?? []
        if let deletion = run.status.deletionStageStatus { all.append(deletion) }
        return all.enumerated().flatMap { index, stage in
            stage.clusters.filter {
                ($0.conditions ?? [])[type: "Started"] != nil && ($0.conditions ?? [])[type: "Succeeded"] == nil
            }.compactMap { work(for: $0.clusterName, stage: index, of: run) }
        }
    }

    private func schedule(_ work: MemberWork, after delay: TimeInterval? = nil) {
        if isDone(work) { return }
        agenda.add(.member(work), at: clock.now().addingTimeInterval(delay ?? members.latency))
        armTimer()
    }

    /// Work is done when the member already holds it, and void when another run has since bound the cluster to
    /// another snapshot.
    private func isDone(_ work: MemberWork) -> Bool {
        let member = state.members[work.cluster]
        let applied = member?.applied[work.placement]
        let bound = state.placements[work.placement]?.bindings[work.cluster]?.resourceIndex
        switch work.action {
        case .apply(let index, _), .fail(let index, _):
            return applied?.resourceIndex == index || (bound != nil && bound != index)
        case .reportDiff(let index, _):
            return member?.reported[work.placement]?.resourceIndex == index || (bound != nil && bound != index)
        case .remove: return applied == nil
        }
    }

    private func perform(_ item: Agenda.Item) throws {
        guard case .member(let work) = item, !isDone(work), state.members[work.cluster] != nil else { return }
        let actor = "member/\(work.cluster)"
        switch members.outcome(of: work, current: state.members[work.cluster]?.objects ?? []) {
        case .applied(let index, let objects):
            try record(
                [.memberApplied(MemberApplied(cluster: work.cluster, placement: work.placement, resourceIndex: index, objects: objects))],
                actor: actor)
        case .removed:
            try record([.memberRemoved(MemberRemoved(cluster: work.cluster, placement: work.placement))], actor: actor)
        case .diffReported(let index, let differences):
            try record(
                [.memberDiffReported(MemberDiffReported(cluster: work.cluster, placement: work.placement, resourceIndex: index, differences: differences))],
                actor: actor)
        case .failed(let index, let message):
            try record(
                [.memberApplyFailed(MemberApplyFailed(cluster: work.cluster, placement: work.placement, resourceIndex: index, message: message))],
                actor: actor)
            schedule(work, after: members.retryInterval)
        }
    }

    // MARK: Wall-clock timer

    private func armTimer() {
        guard realTime, let next = agenda.next else { return }
        if timerTarget == next, timer != nil { return }
        timer?.cancel()
        timerTarget = next
        let delay = max(0, next.timeIntervalSince(clock.now()))
        timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            guard !Task.isCancelled else { return }
            await self?.timerFired()
        }
    }

    private func timerFired() async {
        timer = nil
        timerTarget = nil
        do {
            try await advance(to: clock.now())
        } catch {
            FileHandle.standardError.write(Data("flotilla: \(error)\n".utf8))
        }
    }
}

extension Envelope {
    /// The time an event carries into the projections: whole seconds, as Kubernetes timestamps have, so a
    /// checkpoint of the state round-trips exactly. The journal keeps the milliseconds.
    static func stateTime(millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis >= 0 ? millis / 1000 : (millis - 999) / 1000))
    }

    /// Decodes a journal record into the event it holds.
    public init(_ record: RecordedEvent) throws {
        let event = try FleetEvent(type: record.type, payload: try JSON.parse(record.payload))
        self.init(
            seq: record.seq, time: Envelope.stateTime(millis: record.time), actor: record.actor,
            event: event)
    }
}
