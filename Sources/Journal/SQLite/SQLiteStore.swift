internal import Dispatch

#if canImport(Glibc)
    internal import Glibc
#else
    internal import Darwin
#endif

/// The journal in one SQLite file: a `SQLiteWriter` on the journal's writer queue and a pool of read-only
/// connections, which in WAL mode never block the writer and see committed rows only.
///
/// - Note: `Sendable`: the writer is confined to `queue` (it checks), and the pool lends each reader connection to
///   one caller at a time.
final class SQLiteStore: JournalStore {
    let queue: DispatchQueue
    let dictionaries: DictionaryCache
    let readers: ConnectionPool<Connection>
    let writer: SQLiteWriter
    /// Where the log ended when the file was opened.
    let lastSeq: Int64
    let lastHash: [UInt8]

    /// Opens (or creates) the file at `path`; see `Journal.init(path:seedDictionary:readOnly:synchronous:)`.
    init(
        path: String, seedDictionary: [UInt8]?, readOnly: Bool, synchronous: Synchronous, queue: DispatchQueue,
        traceWrites: (@Sendable (String) -> Void)?
    ) throws(JournalError) {
        let dictionaries = DictionaryCache()
        let opened = try SQLiteWriter.open(
            path: path, seedDictionary: seedDictionary, readOnly: readOnly, synchronous: synchronous, queue: queue,
            dictionaries: dictionaries)
        if let traceWrites {
            queue.sync { opened.writer.trace(traceWrites) }
        }
        self.queue = queue
        self.dictionaries = dictionaries
        self.writer = opened.writer
        self.lastSeq = opened.lastSeq
        self.lastHash = opened.lastHash
        self.readers = ConnectionPool { () throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                let connection =
                    readOnly ? try Connection(readingOnly: path) : try Connection(path: path, create: false)
                connection.setBusyTimeout(milliseconds: 5000)
                try connection.execute("PRAGMA query_only = ON")
                return connection
            }
        }
    }

    func closeReaders() {
        readers.close()
    }

    func committedSeq() throws(JournalError) -> Int64 {
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                let statement = try connection.cachedStatement("SELECT coalesce(max(seq), 0) FROM events")
                defer { statement.reset() }
                _ = try statement.step()
                return statement.int64(at: 0)
            }
        }
    }

    /// A file has one hub, the one process that opens it writable (SQLite's own lock keeps a second writer out), so
    /// there is nothing to elect: the campaigner leads, at epoch 0, for good, and no table records it.
    func campaign(hub: String, address: String, lease: Duration) throws(JournalError) -> Leadership {
        Leadership(holder: hub, address: address, epoch: 0, expires: nil, remaining: nil)
    }

    /// How often `waitForCommit` looks at the file: short beside a hub's timers, long beside one indexed read.
    static let commitPollInterval = Duration.milliseconds(10)

    /// Polls the file every `commitPollInterval`: WAL commits come with no signal to another process.
    func waitForCommit(after seq: Int64, timeout: Duration) throws(JournalError) -> Int64 {
        let deadline = ContinuousClock.now + timeout
        while true {
            let committed = try committedSeq()
            let left = deadline - ContinuousClock.now
            guard committed <= seq, left > .zero else { return committed }
            usleep(UInt32(min(left, Self.commitPollInterval).milliseconds * 1000))
        }
    }

    func storedVersion(of stream: String) throws(JournalError) -> Int64 {
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                let statement = try connection.cachedStatement("SELECT max(version) FROM events WHERE stream = ?1")
                defer { statement.reset() }
                try statement.bind(stream, at: 1)
                return try statement.step() ? statement.int64(at: 0) : 0
            }
        }
    }

    func events(after seq: Int64, through end: Int64, limit: Int) throws(JournalError) -> [RecordedEvent] {
        try readEvents(
            "SELECT \(StoredEvent.columns) FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3"
        ) { statement throws(SQLiteError) in
            try statement.bind(seq, at: 1)
            try statement.bind(end, at: 2)
            try statement.bind(Int64(limit), at: 3)
        }
    }

    func events(of stream: String) throws(JournalError) -> [RecordedEvent] {
        try readEvents("SELECT \(StoredEvent.columns) FROM events WHERE stream = ?1 ORDER BY version") {
            statement throws(SQLiteError) in
            try statement.bind(stream, at: 1)
        }
    }

    func stats() throws(JournalError) -> JournalStats {
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

    func checkpointHeads() throws(JournalError) -> [CheckpointHead] {
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) -> [CheckpointHead] in
                let statement = try connection.cachedStatement(
                    """
                    SELECT c.seq, c.raw_len, c.hash, e.hash FROM checkpoints c
                    LEFT JOIN events e ON e.seq = c.seq ORDER BY c.seq DESC
                    """)
                defer { statement.reset() }
                var heads: [CheckpointHead] = []
                while try statement.step() {
                    let seq = statement.int64(at: 0)
                    let hash = statement.blob(at: 2)
                    let chain = seq == 0 ? ChainHash.genesis : (statement.isNull(at: 3) ? nil : statement.blob(at: 3))
                    heads.append(
                        CheckpointHead(
                            seq: seq, rawLength: Int(statement.int64(at: 1)), hash: hash, matchesChain: chain == hash))
                }
                return heads
            }
        }
    }

    func checkpointImage(at seq: Int64) throws(JournalError) -> [UInt8]? {
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) -> [UInt8]? in
                let statement = try connection.cachedStatement("SELECT image FROM checkpoints WHERE seq = ?1")
                defer { statement.reset() }
                try statement.bind(seq, at: 1)
                return try statement.step() ? statement.blob(at: 0) : nil
            }
        }
    }

    func replay(after seq: Int64, through end: Int64, _ body: (ReplayedEvent) throws -> Void) throws {
        var failure: (any Error)?
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                // A long replay reads through a memory map: a start-up reads the whole file, and copying each page
                // out of the page cache cost a third of the reading. Unmapped after, so the file's pages do not stay
                // in the hub's resident memory. A follower's catch-up of a few events maps nothing.
                let mapped = end - seq >= Self.replayMapThreshold
                if mapped { try connection.execute("PRAGMA mmap_size = \(Self.replayMapLimit)") }
                defer { if mapped { try? connection.execute("PRAGMA mmap_size = 0") } }
                // No upper bound in the query: SQLite tested it on every row, and the rows come in seq order.
                let statement = try connection.cachedStatement(
                    "SELECT seq, type, time, actor, dict_id, raw_len, payload FROM events WHERE seq > ?1 ORDER BY seq")
                defer { statement.reset() }
                try statement.bind(seq, at: 1)
                var decoder = ReplayDecoder()
                while try statement.step() {
                    let seq = statement.int64(at: 0)
                    guard seq <= end else { return }
                    do {
                        try decoder.decode(
                            seq: seq, type: statement.textBytes(at: 1), time: statement.int64(at: 2),
                            actor: statement.textBytes(at: 3), dictionaryID: statement.int64(at: 4),
                            rawLength: Int(statement.int64(at: 5)), stored: statement.blobBytes(at: 6),
                            load: { (id) throws(JournalError) in try self.dictionary(id, using: connection) }, body)
                    } catch {
                        failure = error
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// The most of the file a replay asks to map. SQLite maps no more than its build allows (2 GiB in Debian's)
    /// and reads the rest as usual.
    static let replayMapLimit: Int64 = 1 << 34

    /// The fewest events a replay maps the file for: below it, mapping and unmapping cost more than the copies.
    static let replayMapThreshold: Int64 = 10_000

    func verify(after start: Int64, committed: Int64) throws(JournalError) -> VerifyReport {
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                let statement = try connection.prepare(
                    "SELECT \(StoredEvent.columns) FROM events WHERE seq > ?1 ORDER BY seq")
                try statement.bind(start, at: 1)
                var verifier = ChainVerifier(after: start, hash: try SQLiteWriter.chainHash(at: start, in: connection))
                let priorVersion = try connection.prepare(
                    "SELECT coalesce(max(version), 0) FROM events WHERE stream = ?1 AND seq <= ?2")
                while try statement.step() {
                    let row = StoredEvent(statement)
                    let payload = try dictionaries.payload(of: row) { (id) throws(SQLiteError) in
                        try Self.unpackedDictionary(id, in: connection)
                    }
                    let problem = try verifier.check(row, payload: payload) { (stream) throws(SQLiteError) in
                        priorVersion.reset()
                        try priorVersion.bind(stream, at: 1)
                        try priorVersion.bind(start, at: 2)
                        return try priorVersion.step() ? priorVersion.int64(at: 0) : 0
                    }
                    if let problem { return problem }
                }
                return verifier.finish(committed: committed)
            }
        }
    }

    /// Dictionary `id` from the cache, else read and unpacked with `connection`: for `ReplayDecoder`, which asks
    /// for a dictionary directly rather than through `DictionaryCache.payload(of:load:)`.
    private func dictionary(_ id: Int64, using connection: Connection) throws(JournalError) -> [UInt8]? {
        try dictionaries.bytes(id: id) { (id) throws(JournalError) in try Self.dictionary(id, in: connection) }
    }

    /// Dictionary `id` as stored in the file, unpacked; nil when absent or damaged.
    static func dictionary(_ id: Int64, in connection: Connection) throws(JournalError) -> [UInt8]? {
        try sqlite { () throws(SQLiteError) in try unpackedDictionary(id, in: connection) }
    }

    private static func unpackedDictionary(_ id: Int64, in connection: Connection) throws(SQLiteError) -> [UInt8]? {
        let statement = try connection.cachedStatement("SELECT raw_len, bytes FROM dictionaries WHERE id = ?1")
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        return LZ4.unpack(statement.blob(at: 1), rawLength: Int(statement.int64(at: 0)))
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
                try dictionaries.event(from: row) { (id) throws(JournalError) in
                    try Self.dictionary(id, in: connection)
                }
            }
        }
    }
}
