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
        try readers.withConnection { connection throws(JournalError) in
            let rows = try sqlite { () throws(SQLiteError) -> [(seq: Int64, rawLength: Int, stored: [UInt8], hash: [UInt8], chain: [UInt8]?)] in
                let statement = try connection.cachedStatement(
                    """
                    SELECT c.seq, c.raw_len, c.image, c.hash, e.hash FROM checkpoints c
                    LEFT JOIN events e ON e.seq = c.seq ORDER BY c.seq DESC
                    """)
                defer { statement.reset() }
                var rows: [(seq: Int64, rawLength: Int, stored: [UInt8], hash: [UInt8], chain: [UInt8]?)] = []
                while try statement.step() {
                    let seq = statement.int64(at: 0)
                    let chain = seq == 0 ? ChainHash.genesis : (statement.isNull(at: 4) ? nil : statement.blob(at: 4))
                    rows.append((seq, Int(statement.int64(at: 1)), statement.blob(at: 2), statement.blob(at: 3), chain))
                }
                return rows
            }
            var checkpoints: [Checkpoint] = []
            for row in rows {
                guard let image = LZ4.unpack(row.stored, rawLength: row.rawLength) else {
                    throw .corrupt(seq: row.seq, reason: "checkpoint image does not decompress")
                }
                checkpoints.append(Checkpoint(seq: row.seq, hash: row.hash, image: image, matchesChain: row.chain == row.hash))
            }
            return checkpoints
        }
    }

    /// The newest checkpoint that matches the chain, or nil when there is none.
    public func latestCheckpoint() throws(JournalError) -> Checkpoint? {
        try checkpoints().first(where: \.matchesChain)
    }
}
