import FleetAPI
import Foundation
import Journal

extension Hub {
    /// An event submitted to the journal, held back from readers, watchers and members until it is durable.
    struct Recorded {
        var envelope: Envelope
        var work: [MemberWork]
    }

    /// Submits events and folds them into the working state; they become visible in `makeDurable`.
    func record(_ events: [FleetEvent], actor: String) throws {
        guard !events.isEmpty else { return }
        try checkWritable()
        let millis = Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down))
        let time = Envelope.stateTime(millis: millis)
        // The journal gets sealed copies; the projections fold the plain events.
        let stored = try sealing.map { sealing in try events.map(sealing.seal) } ?? events
        let writes = try StreamWrite.appending(stored.map { (actor, $0) }, millis: millis)
        let submission: Submission
        do {
            // Committed when the settle waits for durability: what one write sets off shares one commit.
            submission = try journal.submit(writes, deferringCommit: true)
        } catch {
            throw refuse(after: error)
        }
        for (recorded, event) in zip(submission.events, events) {
            let envelope = Envelope(seq: recorded.seq, time: time, actor: actor, event: event)
            event.touches(in: working, &dirty)
            working.evolve(envelope)
            undurable.append(Recorded(envelope: envelope, work: dispatch(of: event, by: actor)))
        }
    }

    /// Runs every controller until none has anything to record, waits for durability, and arms the next
    /// deadline. A controller that will not settle has its object halted and the request fails; the hub lives.
    func settle() async throws {
        let now = clock.now()
        for key in agenda.takeDueDeadlines(at: now) { dirty.due(key) }
        try await reconcileDirty(now: now)
        #if DEBUG
        if let (actor, events) = Controllers.step(working, now: now, running: controllers) {
            missedByDirtySet += 1
            logger.error(
                "the dirty set missed an object with work to do; reconciling everything",
                metadata: ["actor": "\(actor)", "events": "\(events.map { "\($0.typeName) \($0.stream)" })"])
            dirty = .everything(in: working, running: controllers)
            try await reconcileDirty(now: now)
        }
        #endif
        for key in dirty.settled {
            agenda.setDeadline(key, at: controllers.nextDeadline(key, in: working, now: now))
            startMeasurements(of: key, now: now)
        }
        dirty.settled.removeAll()
        try await makeDurable()
        if state.lastSeq - checkpointedSeq >= checkpointInterval { checkpointInBackground() }
        armTimer()
        wakeNotifications()
    }

    /// Records what the controllers of the dirty objects want, until they all settle.
    private func reconcileDirty(now: Date) async throws {
        var steps = 0
        while let (actor, events) = Controllers.step(working, now: now, dirty: &dirty, running: controllers) {
            steps += 1
            if steps > settleLimit {
                let halted = try halt(events)
                try await makeDurable()
                throw HubError.internalError(
                    "the controllers did not settle after \(settleLimit) steps; halted \(halted.map(\.description).joined(separator: ", "))")
            }
            try record(events, actor: actor)
        }
    }

    /// Records that the objects the still-busy controller writes are halted, so no controller touches them again
    /// until their spec changes.
    private func halt(_ events: [FleetEvent]) throws -> [ObjectKey] {
        var keys: [ObjectKey] = []
        for event in events {
            for key in event.affectedKeys(in: working)
            where !keys.contains(key) && (working.runs[key] != nil || working.placements[key] != nil || OverrideController.snapshotKind(of: key) != nil) {
                keys.append(key)
            }
        }
        let message = "the controller recorded more than \(settleLimit) steps in a row without settling; it stays "
            + "halted until the spec changes"
        try record(keys.map { .controllerHalted(ControllerHalted(key: $0, message: message)) }, actor: "hub")
        logger.error("controllers did not settle", metadata: ["halted": "\(keys.map(\.description))"])
        return keys
    }

    /// Waits until every event recorded so far is durable, then shows them: folds them into `state`, publishes
    /// their changes to watchers and hands their work to the members. Intent before action.
    func makeDurable() async throws {
        let target = working.lastSeq
        guard target > state.lastSeq else { return }
        do {
            try await journal.waitUntilDurable(through: target)
        } catch {
            throw refuse(after: error)
        }
        reveal(through: target)
    }

    private func reveal(through seq: Int64) {
        var released = 0
        for recorded in undurable {
            guard recorded.envelope.seq <= seq else { break }
            released += 1
            show(recorded.envelope)
            for work in recorded.work { schedule(work) }
        }
        undurable.removeFirst(released)
    }

    /// Folds a durable event into `state` and publishes what it changed: every object whose resourceVersion
    /// it moved, and every object it removed, rendered as last shown.
    func show(_ envelope: Envelope) {
        let seq = envelope.seq
        var keys: [ObjectKey] = []
        for key in envelope.event.affectedKeys(in: state) where !keys.contains(key) { keys.append(key) }
        let existed = keys.map { state.objects[$0] != nil }
        var removed: [ObjectKey: JSON] = [:]
        if case .objectDeleted(let e) = envelope.event, var object = state.render(e.key) {
            object[path: ["metadata", "resourceVersion"]] = .string(String(seq))
            removed[e.key] = object
        }
        state.evolve(envelope)
        for (key, existed) in zip(keys, existed) {
            if let object = state.objects[key] {
                guard object.resourceVersion == seq else { continue }
                feed.publish(.init(type: existed ? .modified : .added, key: key, resourceVersion: seq), render: { state.render($0) })
            } else if let object = removed[key] {
                feed.publish(.init(type: .deleted, key: key, resourceVersion: seq, deleted: object), render: { state.render($0) })
            }
        }
    }

    /// Refuses writes from now on, naming `cause`, and keeps only what is durable: commits that did succeed are
    /// shown; whatever was decided on events that never became durable is dropped with them, and timers and member
    /// work stop. (A measurement in flight is answered to a refusing hub, which drops the answer.)
    func standDown(refusing cause: String) {
        refusal = cause
        reveal(through: journal.durableSeq)
        working = state
        undurable.removeAll()
        agenda = Agenda()
        dirty = Dirty()
        stop()
    }

    /// A journal write failed: from now on the hub refuses writes, naming the cause, and shows only what is
    /// durable. Whatever was decided on events that never became durable is dropped with them.
    func refuse(after error: any Error) -> HubError {
        if let refusal { return .unavailable(refusal) }
        let cause = "its journal refused a write (\(error))"
        standDown(refusing: cause)
        logger.critical("journal write failed; the hub now refuses writes and serves its durable state", metadata: ["cause": "\(cause)"])
        return .unavailable(cause)
    }
}
