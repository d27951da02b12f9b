internal import Dispatch
internal import JournalSchema

/// The journal in a PostgreSQL database: a `PostgresWriter` on the journal's writer queue and a pool of read-only
/// sessions, each seeing committed rows only. Tables live in the session's `search_path`
/// (`schema/journal-postgres.sql`).
///
/// - Note: `Sendable`: the writer is confined to `queue` (it checks), and the pool lends each reader session to one
///   caller at a time.
final class PostgresStore: JournalStore {
    /// The `schema_version` in `meta` this code reads and writes; the PostgreSQL schema counts apart from SQLite's.
    static let schemaVersion: Int64 = 1

    /// The text of `schema/journal-postgres.sql`.
    static var schemaSQL: String {
        String(cString: flotilla_journal_postgres_schema())
    }

    /// Rows per query when replay and verify walk the log: bounds the memory a result holds.
    private static let pageSize = 2048

    let queue: DispatchQueue
    let dictionaries = DictionaryCache()
    let readers: ConnectionPool<PostgresConnection>
    /// Sessions for callers waiting for a commit, one each, apart from the readers so a wait never holds up a read.
    let listeners: ConnectionPool<PostgresConnection>
    let writer: PostgresWriter
    let lastSeq: Int64
    let lastHash: [UInt8]

    /// Connects to `url`, applies the schema (unless `readOnly`), and reads back where the log ends and the
    /// compression state, as `SQLiteWriter.open` does for a file.
    init(
        url: String, seedDictionary: [UInt8]?, readOnly: Bool, synchronous: Synchronous, queue: DispatchQueue
    ) throws(JournalError) {
        let connection = try Self.connect(url, readOnly: readOnly)
        try postgres { () throws(PostgresError) in
            try connection.set("synchronous_commit = \(synchronous.synchronousCommit)")
        }
        if readOnly {
            let version = try postgres { () throws(PostgresError) in try Self.recordedVersion(in: connection) }
            guard version == Self.schemaVersion else { throw .unsupportedSchema(version: version ?? 0) }
        } else {
            try Self.applySchema(to: connection, seedDictionary: seedDictionary)
        }
        let tip = try Self.readTip(in: connection, dictionaries: dictionaries)
        self.queue = queue
        self.lastSeq = tip.lastSeq
        self.lastHash = tip.lastHash
        self.writer = PostgresWriter(
            connection: connection, queue: queue, compression: tip.compression, epoch: tip.epoch,
            dictionaries: dictionaries)
        // A session lost to a server restart or failover is dropped when returned, and the next reader opens another.
        self.readers = ConnectionPool(isUsable: { $0.isOpen }) { () throws(JournalError) in try Self.connect(url, readOnly: true) }
        self.listeners = ConnectionPool(isUsable: { $0.isOpen }) { () throws(JournalError) in try Self.connect(url, readOnly: true) }
    }

    func closeReaders() {
        readers.close()
        listeners.close()
    }

    func committedSeq() throws(JournalError) -> Int64 {
        try readers.withConnection { connection throws(JournalError) in
            try postgres { () throws(PostgresError) in
                try connection.int64("SELECT seq FROM events ORDER BY seq DESC LIMIT 1", []) ?? 0
            }
        }
    }

    func storedVersion(of stream: String) throws(JournalError) -> Int64 {
        try readers.withConnection { connection throws(JournalError) in
            try postgres { () throws(PostgresError) in
                try connection.int64(
                    "SELECT version FROM events WHERE stream = $1 ORDER BY version DESC LIMIT 1", [.text(stream)]) ?? 0
            }
        }
    }

    func events(after seq: Int64, through end: Int64, limit: Int) throws(JournalError) -> [RecordedEvent] {
        try readEvents(
            "SELECT \(StoredEvent.columns) FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
            [.int64(seq), .int64(end), .int64(Int64(limit))])
    }

    func events(of stream: String) throws(JournalError) -> [RecordedEvent] {
        try readEvents("SELECT \(StoredEvent.columns) FROM events WHERE stream = $1 ORDER BY version", [.text(stream)])
    }

    func stats() throws(JournalError) -> JournalStats {
        try readers.withConnection { connection throws(JournalError) in
            try postgres { () throws(PostgresError) in
                try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                defer { try? connection.execute("COMMIT") }
                let events = try connection.query(
                    """
                    SELECT count(*), count(DISTINCT stream), coalesce(sum(raw_len), 0)::int8,
                    coalesce(sum(length(payload)), 0)::int8 FROM events
                    """)
                defer { events.clear() }
                let dictionaries = try connection.query(
                    "SELECT count(*), coalesce(sum(length(bytes)), 0)::int8 FROM dictionaries")
                defer { dictionaries.clear() }
                return JournalStats(
                    events: events.int64(row: 0, column: 0), streams: events.int64(row: 0, column: 1),
                    rawBytes: events.int64(row: 0, column: 2), storedBytes: events.int64(row: 0, column: 3),
                    dictionaries: Int(dictionaries.int64(row: 0, column: 0)),
                    dictionaryBytes: dictionaries.int64(row: 0, column: 1))
            }
        }
    }

    func checkpointHeads() throws(JournalError) -> [CheckpointHead] {
        try readers.withConnection { connection throws(JournalError) in
            try postgres { () throws(PostgresError) in
                let result = try connection.query(
                    """
                    SELECT c.seq, c.raw_len, c.hash, e.hash FROM checkpoints c
                    LEFT JOIN events e ON e.seq = c.seq ORDER BY c.seq DESC
                    """)
                defer { result.clear() }
                return (0..<result.rows).map { row in
                    let seq = result.int64(row: row, column: 0)
                    let hash = result.bytea(row: row, column: 2)
                    let stored = result.isNull(row: row, column: 3) ? nil : result.bytea(row: row, column: 3)
                    let chain = seq == 0 ? ChainHash.genesis : stored
                    return CheckpointHead(
                        seq: seq, rawLength: Int(result.int64(row: row, column: 1)), hash: hash,
                        matchesChain: chain == hash)
                }
            }
        }
    }

    func checkpointImage(at seq: Int64) throws(JournalError) -> [UInt8]? {
        try readers.withConnection { connection throws(JournalError) in
            try postgres { () throws(PostgresError) in
                let result = try connection.query("SELECT image FROM checkpoints WHERE seq = $1", [.int64(seq)])
                defer { result.clear() }
                return result.rows > 0 ? result.bytea(row: 0, column: 0) : nil
            }
        }
    }

    func replay(after seq: Int64, through end: Int64, _ body: (ReplayedEvent) throws -> Void) throws {
        var failure: (any Error)?
        try readers.withConnection { connection throws(JournalError) in
            var decoder = ReplayDecoder()
            var position = seq
            while position < end {
                let page = try postgres { () throws(PostgresError) in
                    try connection.query(
                        """
                        SELECT seq, type, time, actor, dict_id, raw_len, payload FROM events
                        WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3
                        """, [.int64(position), .int64(end), .int64(Int64(Self.pageSize))])
                }
                defer { page.clear() }
                guard page.rows > 0 else { return }
                for row in 0..<page.rows {
                    do {
                        try decoder.decode(
                            seq: page.int64(row: row, column: 0), type: page.bytes(row: row, column: 1),
                            time: page.int64(row: row, column: 2), actor: page.bytes(row: row, column: 3),
                            dictionaryID: page.int64(row: row, column: 4),
                            rawLength: Int(page.int64(row: row, column: 5)),
                            stored: UnsafeRawBufferPointer(page.bytes(row: row, column: 6)),
                            load: { (id) throws(JournalError) in
                                try dictionaries.bytes(id: id) { (id) throws(JournalError) in
                                    try Self.dictionary(id, in: connection)
                                }
                            }, body)
                    } catch {
                        failure = error
                        return
                    }
                }
                position = page.int64(row: page.rows - 1, column: 0)
            }
        }
        if let failure { throw failure }
    }

    func verify(after start: Int64, committed: Int64) throws(JournalError) -> VerifyReport {
        try readers.withConnection { connection throws(JournalError) in
            let hash = try postgres { () throws(PostgresError) in try Self.chainHash(at: start, in: connection) }
            var verifier = ChainVerifier(after: start, hash: hash)
            var position = start
            while true {
                let page = try Self.storedEvents(
                    "SELECT \(StoredEvent.columns) FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
                    [.int64(position), .int64(Int64(Self.pageSize))], in: connection)
                guard let last = page.last else { break }
                for row in page {
                    let payload = try dictionaries.payload(of: row) { (id) throws(JournalError) in
                        try Self.dictionary(id, in: connection)
                    }
                    let problem = try verifier.check(row, payload: payload) { (stream) throws(JournalError) in
                        try postgres { () throws(PostgresError) in
                            try connection.int64(
                                "SELECT coalesce(max(version), 0) FROM events WHERE stream = $1 AND seq <= $2",
                                [.text(stream), .int64(start)]) ?? 0
                        }
                    }
                    if let problem { return problem }
                }
                position = last.seq
            }
            return verifier.finish(committed: committed)
        }
    }

    func campaign(hub: String, address: String, lease: Duration) throws(JournalError) -> Leadership {
        try queue.sync { () -> Result<Leadership, JournalError> in
            Result { () throws(JournalError) in try writer.campaign(hub: hub, address: address, lease: lease) }
        }.get()
    }

    /// The channel the insert trigger notifies on every commit (`schema/journal-postgres.sql`).
    static let commitChannel = "flotilla_journal"

    /// Waits on a session that LISTENs on `commitChannel`: it drops the notifications already received, reads the
    /// tip, and when that is not past `seq` sleeps on the socket until the next notification or the timeout. A
    /// commit made after the read notifies after it, so it ends the sleep. The session stops listening when the
    /// wait ends: an idle listener that nobody reads would hold back the server's notification queue.
    func waitForCommit(after seq: Int64, timeout: Duration) throws(JournalError) -> Int64 {
        let deadline = ContinuousClock.now + timeout
        return try listeners.withConnection { connection throws(JournalError) in
            try postgres { () throws(PostgresError) in
                try connection.execute("LISTEN \(Self.commitChannel)")
                defer { try? connection.execute("UNLISTEN *") }
                while true {
                    try connection.drainNotifications()
                    let committed = try connection.int64("SELECT seq FROM events ORDER BY seq DESC LIMIT 1") ?? 0
                    let left = deadline - ContinuousClock.now
                    guard committed <= seq, left > .zero else { return committed }
                    _ = connection.awaitInput(milliseconds: Int32(clamping: left.milliseconds))
                }
            }
        }
    }

    /// The stored chain hash of event `seq`; the genesis hash at seq 0.
    static func chainHash(at seq: Int64, in connection: PostgresConnection) throws(PostgresError) -> [UInt8] {
        guard seq > 0 else { return ChainHash.genesis }
        let result = try connection.query("SELECT hash FROM events WHERE seq = $1", [.int64(seq)])
        defer { result.clear() }
        guard result.rows > 0 else { throw PostgresError(sqlState: "", message: "no event at seq \(seq)") }
        return result.bytea(row: 0, column: 0)
    }

    /// Dictionary `id` as stored, unpacked; nil when absent or damaged.
    static func dictionary(_ id: Int64, in connection: PostgresConnection) throws(JournalError) -> [UInt8]? {
        try postgres { () throws(PostgresError) in
            let result = try connection.query("SELECT raw_len, bytes FROM dictionaries WHERE id = $1", [.int64(id)])
            defer { result.clear() }
            guard result.rows > 0 else { return nil }
            return LZ4.unpack(result.bytea(row: 0, column: 1), rawLength: Int(result.int64(row: 0, column: 0)))
        }
    }

    /// Runs a query that selects `StoredEvent.columns` and returns its rows.
    static func storedEvents(
        _ sql: String, _ parameters: [PostgresValue], in connection: PostgresConnection
    ) throws(JournalError) -> [StoredEvent] {
        try postgres { () throws(PostgresError) in
            let result = try connection.query(sql, parameters)
            defer { result.clear() }
            return (0..<result.rows).map { StoredEvent(result, row: $0) }
        }
    }

    /// Runs a query that selects `StoredEvent.columns` and decodes its rows.
    private func readEvents(_ sql: String, _ parameters: [PostgresValue]) throws(JournalError) -> [RecordedEvent] {
        try readers.withConnection { connection throws(JournalError) in
            try Self.storedEvents(sql, parameters, in: connection).map { row throws(JournalError) in
                try dictionaries.event(from: row) { (id) throws(JournalError) in
                    try Self.dictionary(id, in: connection)
                }
            }
        }
    }
}
