extension Journal {
    /// Events per page when `scan` streams the log.
    private static let scanPageSize = 512

    /// Up to `limit` events after `seq`, in seq order; committed (durable) events only.
    ///
    /// - Throws: `JournalError.corrupt` when a row does not decode, `.sqlite`, `.closed`.
    public func read(after seq: Int64, limit: Int) throws(JournalError) -> [RecordedEvent] {
        try read(after: seq, through: .max, limit: limit)
    }

    /// Calls `body` with every durable event after `seq`, in seq order, without holding them all in memory.
    ///
    /// Events are read in pages, so no read transaction stays open while `body` runs and `body` may use the journal.
    /// The scan stops at the last event that was durable when it began.
    ///
    /// ```swift
    /// var state = Projection()
    /// try journal.scan(after: checkpoint.seq) { event in state.apply(event) }
    /// ```
    ///
    /// - Throws: What `body` throws, unchanged, or a `JournalError` from reading.
    public func scan(after seq: Int64, _ body: (RecordedEvent) throws -> Void) throws {
        let end = durableSeq
        var position = seq
        while position < end {
            let page = try read(after: position, through: end, limit: Self.scanPageSize)
            guard let last = page.last else { return }
            for event in page {
                try body(event)
            }
            position = last.seq
        }
    }

    /// Every durable event of `stream`, in version order.
    public func readStream(_ stream: String) throws(JournalError) -> [RecordedEvent] {
        try readEvents("SELECT \(StoredEvent.columns) FROM events WHERE stream = ?1 ORDER BY version") {
            statement throws(SQLiteError) in
            try statement.bind(stream, at: 1)
        }
    }

    /// Counts and sizes of the journal's contents, from one consistent snapshot.
    public func stats() throws(JournalError) -> JournalStats {
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                var stats: JournalStats?
                try connection.inTransaction { () throws(SQLiteError) in
                    let events = try connection.prepare(
                        """
                        SELECT count(*), count(DISTINCT stream), coalesce(sum(raw_len), 0), \
                        coalesce(sum(length(payload)), 0) FROM events
                        """)
                    _ = try events.step()
                    let dictionaries = try connection.prepare(
                        "SELECT count(*), coalesce(sum(length(bytes)), 0) FROM dictionaries")
                    _ = try dictionaries.step()
                    stats = JournalStats(
                        events: events.int64(at: 0), streams: events.int64(at: 1), rawBytes: events.int64(at: 2),
                        storedBytes: events.int64(at: 3), dictionaries: Int(dictionaries.int64(at: 0)),
                        dictionaryBytes: dictionaries.int64(at: 1))
                    events.reset()
                    dictionaries.reset()
                    return .commit
                }
                return stats!
            }
        }
    }

    /// Events after `seq` up to `end`, at most `limit` of them.
    func read(after seq: Int64, through end: Int64, limit: Int) throws(JournalError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try readEvents(
            "SELECT \(StoredEvent.columns) FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3"
        ) { statement throws(SQLiteError) in
            try statement.bind(seq, at: 1)
            try statement.bind(end, at: 2)
            try statement.bind(Int64(limit), at: 3)
        }
    }

    /// Runs a query that selects `StoredEvent.columns` and decodes its rows.
    private func readEvents(
        _ sql: String, binding bind: (Statement) throws(SQLiteError) -> Void
    ) throws(JournalError) -> [RecordedEvent] {
        try readers.withConnection { connection throws(JournalError) in
            let rows = try sqlite { () throws(SQLiteError) in
                let statement = try connection.cachedStatement(sql)
                defer { statement.reset() }
                try bind(statement)
                var rows: [StoredEvent] = []
                while try statement.step() {
                    rows.append(StoredEvent(statement))
                }
                return rows
            }
            return try rows.map { row throws(JournalError) in
                try dictionaries.event(from: row, using: connection)
            }
        }
    }
}
