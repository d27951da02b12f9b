extension PostgresStore {
    /// A session to `url`; with `readOnly`, its transactions may not write.
    static func connect(_ url: String, readOnly: Bool) throws(JournalError) -> PostgresConnection {
        try postgres { () throws(PostgresError) in
            let connection = try PostgresConnection(url: url)
            if readOnly {
                try connection.set("default_transaction_read_only = on")
            }
            return connection
        }
    }

    /// The schema version recorded in the database, or nil when it has no `meta` table (a new journal).
    static func recordedVersion(in connection: PostgresConnection) throws(PostgresError) -> Int64? {
        let tables = try connection.int64(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'meta' AND schemaname = current_schema()")
        guard tables == 1 else { return nil }
        return try connection.int64("SELECT value FROM meta WHERE key = 'schema_version'")
    }

    /// Applies `schema/journal-postgres.sql` and, in a new journal, stores dictionary 1 (the seed's last 64 KiB, or
    /// an empty one), all in one transaction under an advisory lock, so hubs opening the journal at once take turns.
    static func applySchema(to connection: PostgresConnection, seedDictionary: [UInt8]?) throws(JournalError) {
        let found = try postgres { () throws(PostgresError) -> Int64? in
            try connection.inTransaction { () throws(PostgresError) -> Int64? in
                try connection.query("SELECT pg_advisory_xact_lock(hashtext('flotilla.journal.schema'))").clear()
                if let version = try recordedVersion(in: connection), version != schemaVersion {
                    return version
                }
                try connection.execute(schemaSQL)
                guard try connection.int64("SELECT count(*) FROM dictionaries") == 0 else { return nil }
                let fromSeq = try connection.int64("SELECT coalesce(max(seq), 0) + 1 FROM events") ?? 1
                let seed = Array((seedDictionary ?? []).suffix(LZ4.windowSize))
                try PostgresWriter.insertDictionary(1, fromSeq: fromSeq, bytes: seed, into: connection)
                return nil
            }
        }
        if let found {
            throw .unsupportedSchema(version: found)
        }
    }

    /// Where the log ends, what the writer needs to compress the next events, and the leader epoch: what a writer
    /// reads when the journal opens and again when a follower is promoted.
    struct Tip {
        var lastSeq: Int64
        var lastHash: [UInt8]
        var compression: CompressionState
        var epoch: Int64
    }

    /// Reads the `Tip` through `connection`, putting the newest dictionary in `dictionaries`.
    ///
    /// - Throws: `JournalError.corrupt` when the database holds no dictionary or its payloads do not decode.
    static func readTip(in connection: PostgresConnection, dictionaries: DictionaryCache) throws(JournalError) -> Tip {
        let opened = try postgres { () throws(PostgresError) in
            let last = try connection.query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
            defer { last.clear() }
            let end =
                last.rows > 0 ? (last.int64(row: 0, column: 0), last.bytea(row: 0, column: 1)) : (0, ChainHash.genesis)
            let newest = try connection.query(
                "SELECT id, from_seq, raw_len, bytes FROM dictionaries ORDER BY id DESC LIMIT 1")
            defer { newest.clear() }
            let dictionary = newest.rows == 0 ? nil : StoredDictionary(
                id: newest.int64(row: 0, column: 0), fromSeq: newest.int64(row: 0, column: 1),
                bytes: LZ4.unpack(newest.bytea(row: 0, column: 3), rawLength: Int(newest.int64(row: 0, column: 2))))
            let epoch = try connection.int64("SELECT epoch FROM leader WHERE id = 1") ?? 0
            return (end, dictionary, epoch)
        }
        guard let newest = opened.1 else {
            throw .corrupt(seq: 0, reason: "the database holds no compression dictionary")
        }
        let rawSinceDictionary = try postgres { () throws(PostgresError) in
            try connection.int64(
                "SELECT coalesce(sum(raw_len), 0)::int8 FROM events WHERE seq >= $1", [.int64(newest.fromSeq)]) ?? 0
        }
        let compression = try CompressionState.restore(
            newest: newest, rawSinceDictionary: rawSinceDictionary,
            newestPayloads: { (take) throws(JournalError) in
                var before = Int64.max
                while true {
                    let page = try storedEvents(
                        """
                        SELECT \(StoredEvent.columns) FROM events WHERE raw_len > 0 AND seq < $1
                        ORDER BY seq DESC LIMIT $2
                        """, [.int64(before), .int64(64)], in: connection)
                    for row in page {
                        let event = try dictionaries.event(from: row) { (id) throws(JournalError) in
                            try dictionary(id, in: connection)
                        }
                        if !take(event) { return }
                    }
                    guard let last = page.last else { return }
                    before = last.seq
                }
            }, into: dictionaries)
        return Tip(lastSeq: opened.0.0, lastHash: opened.0.1, compression: compression, epoch: opened.2)
    }
}
