import FleetAPI
import Foundation
import Journal

extension Hub {
    /// For a hub that follows another's journal: folds in what the writing hub committed since this one last
    /// looked, and shows it to watchers as the writer shows its own commits, so reads and watches may go to any
    /// hub. Its projections trail the writer's by one look. Returns how many events it folded.
    ///
    /// - Throws: `HubError.internalError` for a hub that writes its own journal; what reading or decoding throws,
    ///   after the events before the failure are shown.
    @discardableResult
    public func catchUp() throws -> Int {
        guard refusal != nil else { throw HubError.internalError("a hub that writes its journal has no other writer to follow") }
        let end = try journal.refresh()
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
}
