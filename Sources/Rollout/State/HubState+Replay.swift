import FleetAPI
import Foundation
import Journal

extension HubState {
    /// Events a replay hands from its reading thread to its folding thread at a time.
    static let replayBatch = 512

    /// Batches read ahead of the folding thread at most: stretches of a journal load one side more than the other
    /// (new objects the reader, runs the folder), and a backlog this deep lets each work through the other's. On the
    /// 1M-event benchmark journal the two threads waited for each other about 250 ms a replay with 4 batches, about
    /// 135 ms with 64 (and no less with 128), for about 4 MiB more at the peak.
    static let replayBacklog = 64

    /// Folds in every durable event of `journal` after `lastSeq` up to `end`, in seq order.
    ///
    /// Reading and most decoding run on a thread of their own while the caller's thread folds, a batch behind, and
    /// decodes the events left to it (`ReplayBatch`): a hub has at least two cores. Up to `replayBacklog` batches
    /// wait between them. Resources that recur across events are decoded once and shared (`JSONTreeCache`, one per
    /// thread), and the objects whose version changed get it in their JSON once, at the end (`evolveDeferring`).
    ///
    /// - Throws: What reading or decoding throws; the events before the failure are folded in.
    /// With `unsealing`, sealed objects are opened as they are read; without, they stay as the journal holds them.
    public mutating func replay(from journal: Journal, through end: Int64 = .max, unsealing sealing: Sealing? = nil) throws {
        let channel = ReplayChannel(capacity: Self.replayBacklog)
        let start = lastSeq
        let reader = Thread {
            var batch = ReplayBatch()
            batch.envelopes.reserveCapacity(Self.replayBatch)
            let trees = JSONTreeCache()
            do {
                try journal.replay(after: start, through: end) { event in
                    if let kind = ReplayBatch.LeftToFold(type: event.type) {
                        batch.leave(seq: event.seq, kind: kind, millis: event.time, actor: event.actor, payload: event.payload)
                    } else if let sealing {
                        var envelope = try Envelope(event, sharing: trees)
                        envelope.event = sealing.unseal(envelope.event)
                        batch.envelopes.append(envelope)
                    } else {
                        // Made where the batch keeps it: an envelope held in a local and appended was copied and
                        // destroyed once more, about a tenth of reading and decoding an event.
                        batch.envelopes.append(try Envelope(event, sharing: trees))
                    }
                    if batch.count == Self.replayBatch {
                        guard channel.send(batch) else { throw CancellationError() }
                        batch.removeAll()
                    }
                }
                _ = channel.send(batch)
                channel.finish(nil)
            } catch {
                _ = channel.send(batch)
                channel.finish(error)
            }
        }
        reader.stackSize = Thread.decodingStackSize
        reader.start()
        defer { channel.stop() }
        var deferred = DeferredTouches()
        defer { showVersions(of: deferred) }
        let trees = JSONTreeCache()
        while let batch = try channel.receive() {
            try evolveDeferring(&deferred) { evolve in try batch.forEach(sharing: trees, unsealing: sealing, evolve) }
        }
    }
}

/// Batches of events from a replay's reading thread to its folding thread, at most `capacity` waiting.
///
/// `@unchecked Sendable`: every field is read and written only while `condition` is locked.
private final class ReplayChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var batches: [ReplayBatch] = []
    private var finished = false
    private var failure: (any Error)?
    /// Set when the folding side stops early, so the reading side stops too instead of waiting for room.
    private var stopped = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queues a batch, waiting for room; false when the folding side has stopped.
    func send(_ batch: ReplayBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !stopped { condition.wait() }
        guard !stopped else { return false }
        if batch.count > 0 { batches.append(batch) }
        condition.broadcast()
        return true
    }

    func finish(_ error: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        failure = error
        condition.broadcast()
    }

    /// The next batch; nil once the reading side has finished and every batch was taken.
    func receive() throws -> ReplayBatch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the reading side and waits until it has finished, so nothing reads the journal after `replay`.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
    }
}
