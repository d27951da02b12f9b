extension Journal {
    /// Stores `image`, the projections' state after event `seq`, LZ4-compressed.
    ///
    /// Events submitted before this call are committed first, so the checkpoint never runs ahead of the log.
    /// Saving again at the same seq replaces the image.
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
        try await saveCheckpoint(seq: seq, rawLength: image.count, stored: LZ4.pack(image))
    }

    /// The checkpoint with the highest seq, uncompressed, or nil when there is none.
    ///
    /// - Throws: `JournalError.corrupt` when its image does not decompress.
    public func latestCheckpoint() throws(JournalError) -> (seq: Int64, image: [UInt8])? {
        try readers.withConnection { connection throws(JournalError) in
            let row = try sqlite { () throws(SQLiteError) -> (seq: Int64, rawLength: Int, stored: [UInt8])? in
                let statement = try connection.cachedStatement(
                    "SELECT seq, raw_len, image FROM checkpoints ORDER BY seq DESC LIMIT 1")
                defer { statement.reset() }
                guard try statement.step() else { return nil }
                return (statement.int64(at: 0), Int(statement.int64(at: 1)), statement.blob(at: 2))
            }
            guard let row else { return nil }
            guard let image = LZ4.unpack(row.stored, rawLength: row.rawLength) else {
                throw .corrupt(seq: row.seq, reason: "checkpoint image does not decompress")
            }
            return (row.seq, image)
        }
    }
}
