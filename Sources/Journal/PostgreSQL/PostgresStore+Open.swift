extension PostgresStore {
    /// A session to `url`; with `readOnly`, its transactions may not write.
    static func connect(_ url: String, readOnly: Bool) throws(JournalError) -> PostgresConnection {
        try postgres { () throws(PostgresError) in
            let connection = try PostgresConnection(url: url)
            if readOnly {
                try connection.execute("SET default_transaction_read_only = on")
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
}
