internal import Dispatch

extension Writer {
    /// What opening the file found: the writer, and where the log ends.
    struct Opened {
        let writer: Writer
        let lastSeq: Int64
        let lastHash: [UInt8]
    }

    /// Opens or creates the journal file and rebuilds the writer's state from it.
    ///
    /// Sets WAL mode and `synchronous = FULL`, applies `schema/journal.sql`, stores the first dictionary when the
    /// file has none, then reads back the end of the chain, the newest dictionary, the raw bytes written since it,
    /// and the newest 64 KiB of payloads (the material of the next dictionary).
    static func open(
        path: String, seedDictionary: [UInt8]?, queue: DispatchQueue, dictionaries: DictionaryCache
    ) throws(JournalError) -> Opened {
        let connection = try sqlite { () throws(SQLiteError) in try Connection(path: path) }
        try configure(connection)
        try applySchema(to: connection, seedDictionary: seedDictionary)
        return try sqlite { () throws(SQLiteError) in
            var lastSeq: Int64 = 0
            var lastHash = ChainHash.genesis
            let last = try connection.prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
            if try last.step() {
                lastSeq = last.int64(at: 0)
                lastHash = last.blob(at: 1)
            }
            last.reset()

            let newest = try connection.prepare(
                "SELECT id, from_seq, raw_len, bytes FROM dictionaries ORDER BY id DESC LIMIT 1")
            guard try newest.step() else {
                throw SQLiteError(code: SQLiteError.ResultCode.corrupt.rawValue, message: "no dictionary stored")
            }
            let dictionaryID = newest.int64(at: 0)
            let fromSeq = newest.int64(at: 1)
            guard let dictionary = LZ4.unpack(newest.blob(at: 3), rawLength: Int(newest.int64(at: 2))) else {
                throw SQLiteError(
                    code: SQLiteError.ResultCode.corrupt.rawValue,
                    message: "dictionary \(dictionaryID) does not decompress")
            }
            newest.reset()
            dictionaries.insert(id: dictionaryID, bytes: dictionary)

            let rawSinceDictionary =
                try connection.int64(
                    "SELECT coalesce(sum(raw_len), 0) FROM events WHERE seq >= ?1", fromSeq) ?? 0

            var window = PayloadWindow()
            let recent = try connection.prepare(
                "SELECT \(StoredEvent.columns) FROM events WHERE raw_len > 0 ORDER BY seq DESC")
            defer { recent.reset() }
            while try recent.step() {
                let row = StoredEvent(recent)
                guard let payload = try dictionaries.payload(of: row, using: connection) else {
                    throw SQLiteError(
                        code: SQLiteError.ResultCode.corrupt.rawValue,
                        message: "payload at seq \(row.seq) does not decompress")
                }
                if !window.prepend(payload) {
                    break
                }
            }

            let writer = Writer(
                connection: connection, queue: queue,
                compressor: DictionaryCompressor(id: dictionaryID, dictionary: dictionary), window: window,
                rawSinceDictionary: Int(rawSinceDictionary))
            return Opened(writer: writer, lastSeq: lastSeq, lastHash: lastHash)
        }
    }

    /// WAL lets readers run beside the writer; `synchronous = FULL` makes each commit durable before it returns.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/wal.html>,
    /// <https://www.sqlite.org/pragma.html#pragma_synchronous>
    private static func configure(_ connection: Connection) throws(JournalError) {
        try sqlite { () throws(SQLiteError) in
            connection.setBusyTimeout(milliseconds: 5000)
            let mode = try connection.prepare("PRAGMA journal_mode = WAL")
            guard try mode.step(), mode.text(at: 0) == "wal" else {
                throw SQLiteError(
                    code: SQLiteError.ResultCode.error.rawValue, message: "the journal file cannot use WAL mode")
            }
            try connection.execute("PRAGMA synchronous = FULL")
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
