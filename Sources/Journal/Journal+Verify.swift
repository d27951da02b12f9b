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
    /// - Throws: `JournalError.sqlite` or `.closed` when the rows cannot be read at all.
    public func verify() throws(JournalError) -> VerifyReport {
        let committed = durableSeq
        return try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                try verify(using: connection, committed: committed)
            }
        }
    }

    private func verify(using connection: Connection, committed: Int64) throws(SQLiteError) -> VerifyReport {
        let statement = try connection.prepare("SELECT \(StoredEvent.columns) FROM events ORDER BY seq")
        var checked: Int64 = 0
        var expectedSeq: Int64 = 1
        var previous = ChainHash.genesis
        var versions: [String: Int64] = [:]
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
            let streamVersion = versions[row.stream, default: 0]
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
