/// One event as replay reads it: what a projection folds in, with the payload lent from the reader's buffer.
///
/// Stream, version and hash are left out: folding does not read them, and `verify` checks them.
public struct ReplayedEvent {
    public let seq: Int64
    public let type: String
    /// When it happened, in milliseconds since the Unix epoch.
    public let time: Int64
    public let actor: String
    /// The canonical JSON bytes, uncompressed; valid only until the `replay` body returns.
    public let payload: UnsafeBufferPointer<UInt8>
}

extension Journal {
    /// Calls `body` with every durable event after `seq` up to `end`, in seq order, reading them in one pass with
    /// nothing allocated per event but what `body` keeps: the payload is decompressed into one reused buffer, and
    /// repeated type and actor names are made once.
    ///
    /// Start-up replays the whole journal through this. Unlike `scan`, the read stays open while `body` runs, so
    /// `body` must not use the journal.
    ///
    /// ```swift
    /// try journal.replay(after: checkpoint.seq) { event in state.apply(event.type, event.payload) }
    /// ```
    ///
    /// - Throws: What `body` throws, unchanged; `JournalError.corrupt` when a payload does not decompress.
    public func replay(after seq: Int64, through end: Int64 = .max, _ body: (ReplayedEvent) throws -> Void) throws {
        let last = min(end, durableSeq)
        guard seq < last else { return }
        try store.replay(after: seq, through: last, body)
    }
}
