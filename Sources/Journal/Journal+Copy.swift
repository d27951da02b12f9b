extension Journal {
    /// Events per append when copying: one commit each, so a copy of a large journal holds little in memory.
    private static let copyBatchSize = 2000

    /// Appends every event of this journal to `target`, which must be empty, in seq order with the same streams,
    /// versions, times, actors and payloads, so the target's chain hashes come out the same; then copies the
    /// checkpoints that match the chain. Compression dictionaries are the target's own: they are storage, not
    /// content, and the chain covers uncompressed payloads.
    ///
    /// ```swift
    /// let copied = try await fileJournal.copy(to: postgresJournal)
    /// ```
    ///
    /// - Returns: How many events and checkpoints were copied.
    /// - Throws: `JournalError.notEmpty` when the target holds events; `.corrupt` when this journal's chain does
    ///   not verify (nothing is copied then); any error of reading here or appending there.
    public func copy(to target: Journal) async throws(JournalError) -> (events: Int64, checkpoints: Int) {
        let events = target.lastSeq
        guard events == 0 else { throw .notEmpty(events: events) }
        let report = try verify()
        guard report.isIntact else {
            throw .corrupt(seq: report.firstBadSeq ?? 0, reason: report.problem ?? "the chain does not verify")
        }
        var position: Int64 = 0
        while true {
            let page = try read(after: position, through: durableSeq, limit: Self.copyBatchSize)
            guard let last = page.last else { break }
            let writes = page.map { event in
                StreamWrite(
                    stream: event.stream, expected: .exact(event.version - 1),
                    events: [NewEvent(type: event.type, time: event.time, actor: event.actor, payload: event.payload)])
            }
            let copied = try await target.append(writes)
            guard copied.last?.hash == last.hash else {
                throw .corrupt(seq: last.seq, reason: "the copy's chain hash differs from the source's")
            }
            position = last.seq
        }
        let checkpoints = try self.checkpoints().filter(\.matchesChain).reversed()
        for checkpoint in checkpoints {
            try await target.saveCheckpoint(seq: checkpoint.seq, image: checkpoint.image)
        }
        return (position, checkpoints.count)
    }
}
