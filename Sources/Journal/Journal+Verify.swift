extension Journal {
    /// Checks every stored row: that it decompresses, that the hash chain recomputed from its content matches,
    /// that seqs run without gaps from 1, and that each stream's versions run 1, 2, 3, ….
    ///
    /// Stops at the first problem and names its seq. A missing row is named by its seq; rows missing from the end
    /// are caught against the last seq this instance has committed.
    ///
    /// ```swift
    /// let report = try journal.verify()
    /// if !report.isIntact { print("seq \(report.firstBadSeq!): \(report.problem!)") }
    /// ```
    ///
    /// With `seq`, checks only the rows after it, chaining from the stored hash of event `seq`: start-up trusts
    /// the prefix a checkpoint that matches that hash covers, and checks the tail.
    ///
    /// - Throws: `JournalError.sqlite` or `.closed` when the rows cannot be read at all.
    public func verify(after seq: Int64 = 0) throws(JournalError) -> VerifyReport {
        let committed = durableSeq
        return try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                try verify(using: connection, after: seq, committed: committed)
            }
        }
    }

    private func verify(using connection: Connection, after start: Int64, committed: Int64) throws(SQLiteError) -> VerifyReport {
        let statement = try connection.prepare("SELECT \(StoredEvent.columns) FROM events WHERE seq > ?1 ORDER BY seq")
        try statement.bind(start, at: 1)
        var checked: Int64 = 0
        var expectedSeq: Int64 = start + 1
        var previous = try Writer.chainHash(at: start, in: connection)
        var versions: [String: Int64] = [:]
        let priorVersion = try connection.prepare("SELECT coalesce(max(version), 0) FROM events WHERE stream = ?1 AND seq <= ?2")
        while try statement.step() {
            let row = StoredEvent(statement)
            checked += 1
            func bad(_ problem: String, at seq: Int64? = nil) -> VerifyReport {
                VerifyReport(eventsChecked: checked, firstBadSeq: seq ?? row.seq, problem: problem)
            }
            guard row.seq == expectedSeq else {
                return bad("seq \(expectedSeq) is missing", at: expectedSeq)
            }
            guard let payload = try dictionaries.payload(of: row, using: connection) else {
                return bad("payload does not decompress to \(row.rawLength) bytes with dictionary \(row.dictionaryID)")
            }
            guard ChainHash.hash(of: row.recorded(payload: payload), previous: previous) == row.hash else {
                return bad("stored row does not match its chain hash")
            }
            var streamVersion = versions[row.stream] ?? 0
            if versions[row.stream] == nil && start > 0 {
                priorVersion.reset()
                try priorVersion.bind(row.stream, at: 1)
                try priorVersion.bind(start, at: 2)
                streamVersion = try priorVersion.step() ? priorVersion.int64(at: 0) : 0
            }
            guard row.version == streamVersion + 1 else {
                return bad("version \(row.version) does not follow version \(streamVersion) of its stream")
            }
            versions[row.stream] = row.version
            previous = row.hash
            expectedSeq += 1
        }
        guard expectedSeq > committed else {
            return VerifyReport(
                eventsChecked: checked, firstBadSeq: expectedSeq,
                problem: "events from seq \(expectedSeq) to \(committed) are missing")
        }
        return VerifyReport(eventsChecked: checked)
    }
}
