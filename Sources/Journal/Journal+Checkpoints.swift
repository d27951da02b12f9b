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

    /// A stored checkpoint without its image: where it is, and whether it belongs to this chain.
    private struct CheckpointHead {
        var seq: Int64
        var rawLength: Int
        var hash: [UInt8]
        var matchesChain: Bool
    }

    /// Every stored checkpoint's head, newest first.
    private func checkpointHeads() throws(JournalError) -> [CheckpointHead] {
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) -> [CheckpointHead] in
                let statement = try connection.cachedStatement(
                    """
                    SELECT c.seq, c.raw_len, c.hash, e.hash FROM checkpoints c
                    LEFT JOIN events e ON e.seq = c.seq ORDER BY c.seq DESC
                    """)
                defer { statement.reset() }
                var heads: [CheckpointHead] = []
                while try statement.step() {
                    let seq = statement.int64(at: 0)
                    let hash = statement.blob(at: 2)
                    let chain = seq == 0 ? ChainHash.genesis : (statement.isNull(at: 3) ? nil : statement.blob(at: 3))
                    heads.append(CheckpointHead(seq: seq, rawLength: Int(statement.int64(at: 1)), hash: hash, matchesChain: chain == hash))
                }
                return heads
            }
        }
    }

    /// The checkpoint `head` names, its image read and decompressed; nil when a newer save has dropped it since.
    private func checkpoint(_ head: CheckpointHead) throws(JournalError) -> Checkpoint? {
        let stored = try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) -> [UInt8]? in
                let statement = try connection.cachedStatement("SELECT image FROM checkpoints WHERE seq = ?1")
                defer { statement.reset() }
                try statement.bind(head.seq, at: 1)
                return try statement.step() ? statement.blob(at: 0) : nil
            }
        }
        guard let stored else { return nil }
        guard let image = LZ4.unpack(stored, rawLength: head.rawLength) else {
            throw .corrupt(seq: head.seq, reason: "checkpoint image does not decompress")
        }
        return Checkpoint(seq: head.seq, hash: head.hash, image: image, matchesChain: head.matchesChain)
    }
}
