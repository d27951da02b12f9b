import FleetAPI
import Foundation
import Journal

extension Hub {
    /// For a hub that follows another's journal: folds in what the writing hub committed since this one last
    /// looked, and shows it to watchers as the writer shows its own commits, so reads and watches may go to any
    /// hub. Its projections trail the writer's by one look. Returns how many events it folded. `committed` is the
    /// newest committed seq when the caller just learnt it (`Journal.waitForCommit`); without it the store is asked.
    ///
    /// - Throws: `HubError.internalError` for a hub that writes its own journal; what reading or decoding throws,
    ///   after the events before the failure are shown.
    @discardableResult
    public func catchUp(committed: Int64? = nil) throws -> Int {
        guard refusal != nil else { throw HubError.internalError("a hub that writes its journal has no other writer to follow") }
        return try fold(through: journal.refresh(committed: committed))
    }

    /// Folds in and shows the durable events after the projections' seq, through `end`; returns how many.
    private func fold(through end: Int64) throws -> Int {
        guard end > state.lastSeq else { return 0 }
        var folded = 0
        defer { working = state }
        try journal.replay(after: state.lastSeq, through: end) { event in
            var envelope = try Envelope(event)
            if let sealing { envelope.event = sealing.unseal(envelope.event) }
            show(envelope)
            folded += 1
        }
        return folded
    }

    /// For a follower hub whose journal was just promoted (`Journal.promote(epoch:)`): folds in the rest of what the
    /// former leader committed, takes writes again, and resumes every in-flight run as a restarted hub does: waits
    /// end at their recorded deadlines and member work is re-issued, idempotently.
    ///
    /// - Throws: `HubError.internalError` for a hub that already writes; what reading the journal or settling
    ///   throws.
    public func promote() async throws {
        guard refusal != nil else { throw HubError.internalError("a hub that writes its journal is already the leader") }
        _ = try fold(through: journal.durableSeq)
        refusal = nil
        working = state
        dirty = Dirty.everything(in: state, running: controllers)
        logger.notice("flotilla leader: this hub now writes the journal", metadata: ["seq": "\(state.lastSeq)"])
        try await resume()
    }

    /// Stops leading, as a hub must once its lease may have ended or a newer leader fenced it off: the journal takes
    /// no more writes, timers and member work stop, what never became durable is dropped, and every write is refused
    /// with `reason`. `catchUp()` then follows the new leader.
    public func demote(reason: String) {
        journal.demote()
        standDown(refusing: reason)
        logger.notice("flotilla follower: this hub no longer writes the journal", metadata: ["reason": "\(reason)"])
    }
}
