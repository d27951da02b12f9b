/// A projection image stored at a seq, with the chain hash of that seq's event.
public struct Checkpoint: Sendable, Equatable {
    public let seq: Int64
    /// The chain hash of event `seq` when the checkpoint was taken.
    public let hash: [UInt8]
    public let image: [UInt8]
    /// True while `hash` is the stored chain hash of event `seq`: the checkpoint belongs to this chain.
    public let matchesChain: Bool
}

extension Journal {
    /// Checkpoints kept; older ones are dropped when a new one is saved.
    public static let retainedCheckpoints = 3

    /// Stores `image`, the projections' state after event `seq`, LZ4-compressed, with the chain hash of `seq`.
    ///
    /// Events submitted before this call are committed first, so the checkpoint never runs ahead of the log.
    /// Saving again at the same seq replaces the image; only the newest `retainedCheckpoints` are kept.
    ///
    /// ```swift
    /// try await journal.saveCheckpoint(seq: applied, image: try encoder.encode(projections))
    /// ```
    ///
    /// - Throws: `JournalError.checkpointOutOfRange` when `seq` is not in `0...lastSeq`; `.closed`; `.sqlite`.
    public func saveCheckpoint(seq: Int64, image: [UInt8]) async throws(JournalError) {
        let lastSeq = try writableLastSeq()
        guard seq >= 0 && seq <= lastSeq else {
            throw .checkpointOutOfRange(seq: seq, lastSeq: lastSeq)
        }
        try await saveCheckpoint(
            seq: seq, rawLength: image.count, stored: LZ4.pack(image), retained: Self.retainedCheckpoints)
    }

    /// Every stored checkpoint, newest first, uncompressed, each checked against the chain.
    ///
    /// - Throws: `JournalError.corrupt` when an image does not decompress.
    public func checkpoints() throws(JournalError) -> [Checkpoint] {
        var checkpoints: [Checkpoint] = []
        for head in try checkpointHeads() {
            if let checkpoint = try checkpoint(head) { checkpoints.append(checkpoint) }
        }
        return checkpoints
    }

    /// The newest checkpoint that matches the chain and that `accept` makes a value of, and that value; nil when
    /// `accept` takes none.
    ///
    /// Images are read and decompressed one at a time, newest first, only until one is accepted: start-up needs one,
    /// and each is as large as the state. An older image that is damaged is then never read.
    ///
    /// ```swift
    /// let state = try journal.newestCheckpoint { try? decode($0.image) }
    /// ```
    ///
    /// - Throws: `JournalError.corrupt` when an image it reaches does not decompress.
    public func newestCheckpoint<T>(_ accept: (Checkpoint) -> T?) throws(JournalError) -> T? {
        for head in try checkpointHeads() where head.matchesChain {
            if let checkpoint = try checkpoint(head), let value = accept(checkpoint) { return value }
        }
        return nil
    }

    /// The newest checkpoint that matches the chain, or nil when there is none.
    public func latestCheckpoint() throws(JournalError) -> Checkpoint? {
        try newestCheckpoint { $0 }
    }

    /// Every stored checkpoint's head, newest first.
    private func checkpointHeads() throws(JournalError) -> [CheckpointHead] {
        try store.checkpointHeads()
    }

    /// The checkpoint `head` names, its image read and decompressed; nil when a newer save has dropped it since.
    private func checkpoint(_ head: CheckpointHead) throws(JournalError) -> Checkpoint? {
        guard let stored = try store.checkpointImage(at: head.seq) else { return nil }
        guard let image = LZ4.unpack(stored, rawLength: head.rawLength) else {
            throw .corrupt(seq: head.seq, reason: "checkpoint image does not decompress")
        }
        return Checkpoint(seq: head.seq, hash: head.hash, image: image, matchesChain: head.matchesChain)
    }
}
