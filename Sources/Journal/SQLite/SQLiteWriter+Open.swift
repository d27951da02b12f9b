internal import Dispatch

extension SQLiteWriter {
    /// What opening the file found: the writer, and where the log ends.
    struct Opened {
        let writer: SQLiteWriter
        let lastSeq: Int64
        let lastHash: [UInt8]
    }

    /// Opens or creates the journal file and rebuilds the writer's state from it.
    ///
    /// Sets WAL mode and `synchronous` (FULL unless asked otherwise), applies `schema/journal.sql`, stores the first
    /// dictionary when the file has none, then reads back the end of the chain, the newest dictionary, the raw bytes
    /// written since it, and the newest 64 KiB of payloads (the material of the next dictionary).
    /// With `readOnly` the file is only read: its schema is checked, not applied, and nothing is written.
    static func open(
        path: String, seedDictionary: [UInt8]?, readOnly: Bool = false, synchronous: Synchronous = .full,
        queue: DispatchQueue, dictionaries: DictionaryCache
    ) throws(JournalError) -> Opened {
        if readOnly {
            let connection = try sqlite { () throws(SQLiteError) in try Connection(readingOnly: path) }
            let version = try sqlite { () throws(SQLiteError) in try Schema.recordedVersion(in: connection) }
            guard version == Schema.version else { throw .unsupportedSchema(version: version ?? 0) }
            return try open(connection, queue: queue, dictionaries: dictionaries)
        }
        let connection = try sqlite { () throws(SQLiteError) in try Connection(path: path) }
        try configure(connection, synchronous: synchronous)
        try applySchema(to: connection, seedDictionary: seedDictionary)
        return try open(connection, queue: queue, dictionaries: dictionaries)
    }

    /// Reads back the end of the chain and the compression state from a set-up file.
    private static func open(
        _ connection: Connection, queue: DispatchQueue, dictionaries: DictionaryCache
    ) throws(JournalError) -> Opened {
        let last = try sqlite { () throws(SQLiteError) -> (seq: Int64, hash: [UInt8]) in
            let statement = try connection.prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
            return try statement.step() ? (statement.int64(at: 0), statement.blob(at: 1)) : (0, ChainHash.genesis)
        }

        let newest = try sqlite { () throws(SQLiteError) -> StoredDictionary? in
            let statement = try connection.prepare(
                "SELECT id, from_seq, raw_len, bytes FROM dictionaries ORDER BY id DESC LIMIT 1")
            guard try statement.step() else { return nil }
            let bytes = LZ4.unpack(statement.blob(at: 3), rawLength: Int(statement.int64(at: 2)))
            return StoredDictionary(id: statement.int64(at: 0), fromSeq: statement.int64(at: 1), bytes: bytes)
        }
        guard let newest else {
            throw .corrupt(seq: 0, reason: "the file holds no compression dictionary")
        }
        let rawSinceDictionary = try sqlite { () throws(SQLiteError) in
            try connection.int64("SELECT coalesce(sum(raw_len), 0) FROM events WHERE seq >= ?1", newest.fromSeq) ?? 0
        }
        let compression = try CompressionState.restore(
            newest: newest, rawSinceDictionary: rawSinceDictionary,
            newestPayloads: { (take) throws(JournalError) in
                let recent = try sqlite { () throws(SQLiteError) in
                    try connection.prepare(
                        "SELECT \(StoredEvent.columns) FROM events WHERE raw_len > 0 ORDER BY seq DESC")
                }
                defer { recent.reset() }
                while try sqlite({ () throws(SQLiteError) in try recent.step() }) {
                    let event = try dictionaries.event(from: StoredEvent(recent)) { (id) throws(JournalError) in
                        try SQLiteStore.dictionary(id, in: connection)
                    }
                    if !take(event) { return }
                }
            }, into: dictionaries)
        let writer = SQLiteWriter(connection: connection, queue: queue, compression: compression, lastSeq: last.seq)
        return Opened(writer: writer, lastSeq: last.seq, lastHash: last.hash)
    }

    /// WAL lets readers run beside the writer; `synchronous = FULL` makes each commit durable before it returns,
    /// `NORMAL` only against a crash of the process (see `Synchronous`).
    ///
    /// The writer runs without triggers. Every other connection has the file's triggers, which refuse an update or
    /// delete of events and dictionaries and an insert that does not extend the log; the writer never updates or
    /// deletes them and makes the insert checks itself once per commit (`checkExtendsLog`), where the trigger would
    /// run a program of two lookups for every row (about 40% of inserting one).
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/wal.html>,
    /// <https://www.sqlite.org/pragma.html#pragma_synchronous>
    private static func configure(_ connection: Connection, synchronous: Synchronous) throws(JournalError) {
        try sqlite { () throws(SQLiteError) in
            connection.setBusyTimeout(milliseconds: 5000)
            let mode = try connection.prepare("PRAGMA journal_mode = WAL")
            guard try mode.step(), mode.text(at: 0) == "wal" else {
                throw SQLiteError(
                    code: SQLiteError.ResultCode.error.rawValue, message: "the journal file cannot use WAL mode")
            }
            try connection.execute("PRAGMA synchronous = \(synchronous.rawValue)")
            try connection.setTriggersEnabled(false)
        }
    }

    /// Applies the DDL and, in a new file, stores dictionary 1: the last 64 KiB of the seed (all LZ4 can use), or
    /// an empty dictionary, which compresses each payload on its own until the first rollover.
    private static func applySchema(to connection: Connection, seedDictionary: [UInt8]?) throws(JournalError) {
        var foundVersion: Int64?
        try sqlite { () throws(SQLiteError) in
            try connection.inTransaction(.immediate) { () throws(SQLiteError) in
                if let version = try Schema.recordedVersion(in: connection), version != Schema.version {
                    foundVersion = version
                    return .rollback
                }
                if try connection.int64(
                    "SELECT count(*) FROM pragma_table_info('checkpoints') WHERE name = 'hash'") == 0
                {
                    try connection.execute("DROP TABLE IF EXISTS checkpoints")
                }
                try connection.execute(Schema.sql)
                guard try connection.int64("SELECT count(*) FROM dictionaries") == 0 else { return .commit }
                let fromSeq = try connection.int64("SELECT coalesce(max(seq), 0) + 1 FROM events") ?? 1
                let seed = Array((seedDictionary ?? []).suffix(LZ4.windowSize))
                try insertDictionary(1, fromSeq: fromSeq, bytes: seed, into: connection)
                return .commit
            }
        }
        if let foundVersion {
            throw .unsupportedSchema(version: foundVersion)
        }
    }
}
