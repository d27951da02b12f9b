internal import Dispatch

/// The SQLite journal's only writer: it owns the read-write connection, its cached insert statements and the
/// compression state, and runs every transaction that changes the file.
///
/// Each `commit(_:)` compresses a batch and inserts it in one `BEGIN IMMEDIATE` transaction, creating a new
/// dictionary when enough raw payload has passed since the last one (see `CompressionState.rolloverBytes`).
///
/// - Note: `@unchecked Sendable` because `Connection` and `DictionaryCompressor` are not: every method runs on
///   `queue`, a serial queue, and checks that with `dispatchPrecondition`.
final class SQLiteWriter: StoreWriter, @unchecked Sendable {
    let queue: DispatchQueue
    private var connection: Connection?
    private var compression: CompressionState
    /// The connection's event inserts, made at the first commit.
    private var inserts: EventInsert?
    /// The last seq in the file, and the last version of streams this writer committed, for `checkExtendsLog`.
    private var committedSeq: Int64
    private var committedVersions: [String: Int64] = [:]

    init(connection: Connection, queue: DispatchQueue, compression: CompressionState, lastSeq: Int64) {
        self.connection = connection
        self.queue = queue
        self.compression = compression
        self.committedSeq = lastSeq
    }

    /// Compresses and inserts `events` (consecutive, in seq order) in one transaction, and returns once it has
    /// committed; with `synchronous = FULL` that commit is durable.
    ///
    /// The batch is first checked to extend the log (`checkExtendsLog`): this connection runs without the insert
    /// triggers, which make the same check for every other connection. The rows go in through `EventInsert`, which
    /// costs an event no allocation of its own. A dictionary made on the way is inserted just before the first
    /// event using it.
    func commit(_ events: [RecordedEvent]) throws(JournalError) -> [CreatedDictionary] {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let connection else { throw .closed }
        return try sqlite { () throws(SQLiteError) in
            var created: [CreatedDictionary] = []
            var staged: [String: Int64] = [:]
            try connection.inTransaction(.immediate) { () throws(SQLiteError) in
                let versions = try Self.checkExtendsLog(
                    events, after: committedSeq, known: committedVersions, in: connection)
                let insert = eventInsert(on: connection)
                insert.begin(events)
                do throws(SQLiteError) {
                    created = try compression.store(events) { (dictionary) throws(SQLiteError) in
                        try Self.insertDictionary(
                            dictionary.id, fromSeq: dictionary.fromSeq, bytes: dictionary.bytes, into: connection)
                    } event: { (event, compressor) throws(SQLiteError) in
                        try insert.insert(event, compressor: compressor)
                    }
                } catch {
                    insert.abandon()
                    throw Self.refusal(for: error)
                }
                staged = versions
                return .commit
            }
            if committedVersions.count + staged.count > Self.committedVersionLimit {
                committedVersions = [:]
            }
            committedVersions.merge(staged) { _, new in new }
            committedSeq = events.last?.seq ?? committedSeq
            return created
        }
    }

    /// Streams whose committed versions the writer remembers before it forgets them all and reads them again.
    static let committedVersionLimit = 10_000

    /// The connection's `EventInsert`, made at the first commit and kept, with its statements, until `close`.
    private func eventInsert(on connection: Connection) -> EventInsert {
        if let inserts { return inserts }
        let made = EventInsert(connection: connection)
        inserts = made
        return made
    }

    /// The `events_insert_next` trigger's check, made once per commit in the writer's transaction: the first event
    /// must follow the last stored seq and the others each other, and each stream's first event in the batch must
    /// follow the stream's last stored version, its others the one before. The refusals are the trigger's.
    ///
    /// `lastSeq` (the file's last seq when opened, then this writer's last commit) and `known` (versions this
    /// writer committed) are still the last stored, or the batch fails anyway: the other connections can only
    /// extend the log too, and their first row then takes the seq the batch starts at, which the primary key
    /// refuses (reported as this check would). Other streams are looked up.
    ///
    /// - Returns: The last version of each stream in the batch.
    static func checkExtendsLog(
        _ events: [RecordedEvent], after lastSeq: Int64, known: [String: Int64], in connection: Connection
    ) throws(SQLiteError) -> [String: Int64] {
        var seq = lastSeq
        var versions: [String: Int64] = [:]
        for event in events {
            guard event.seq == seq + 1 else { throw refusal("events must be appended at the next seq") }
            seq = event.seq
            let version: Int64
            if let staged = versions[event.stream] ?? known[event.stream] {
                version = staged
            } else {
                version = try storedVersion(of: event.stream, in: connection)
            }
            guard event.version == version + 1 else {
                throw refusal("events must be appended at the next stream version")
            }
            versions[event.stream] = event.version
        }
        return versions
    }

    /// The stream's last stored version, 0 when it has none, read as the insert trigger reads it.
    private static func storedVersion(of stream: String, in connection: Connection) throws(SQLiteError) -> Int64 {
        let select = try connection.cachedStatement(
            "SELECT version FROM events WHERE stream = ?1 ORDER BY version DESC LIMIT 1")
        defer { select.reset() }
        try select.bind(stream, at: 1)
        return try select.step() ? select.int64(at: 0) : 0
    }

    /// A batch whose first seq the primary key refused was overtaken by another connection's rows (see
    /// `checkExtendsLog`): reported as the trigger reports a row that does not extend the log.
    private static func refusal(for error: SQLiteError) -> SQLiteError {
        guard error.code == .constraintPrimaryKey, error.message.hasSuffix("events.seq") else { return error }
        return refusal("events must be appended at the next seq")
    }

    /// A refusal worded and coded as the triggers' (`RAISE(ABORT, message)`).
    private static func refusal(_ message: String) -> SQLiteError {
        SQLiteError(code: SQLiteError.ResultCode.constraintTrigger.rawValue, message: message)
    }

    /// Stores a checkpoint image with the chain hash of event `seq`, replacing any earlier one at the same seq,
    /// and drops all but the newest `retained`.
    func saveCheckpoint(seq: Int64, rawLength: Int, stored: [UInt8], retained: Int) throws(JournalError) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let connection else { throw .closed }
        try sqlite { () throws(SQLiteError) in
            try connection.inTransaction(.immediate) { () throws(SQLiteError) in
                let hash = try Self.chainHash(at: seq, in: connection)
                let insert = try connection.cachedStatement(
                    "INSERT OR REPLACE INTO checkpoints (seq, raw_len, image, hash) VALUES (?1, ?2, ?3, ?4)")
                defer { insert.reset() }
                try insert.bind(seq, at: 1)
                try insert.bind(Int64(rawLength), at: 2)
                try insert.bind(stored, at: 3)
                try insert.bind(hash, at: 4)
                _ = try insert.step()
                let prune = try connection.cachedStatement(
                    "DELETE FROM checkpoints WHERE seq NOT IN (SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT ?1)")
                defer { prune.reset() }
                try prune.bind(Int64(retained), at: 1)
                _ = try prune.step()
                return .commit
            }
        }
    }

    /// The stored chain hash of event `seq`; the genesis hash at seq 0.
    static func chainHash(at seq: Int64, in connection: Connection) throws(SQLiteError) -> [UInt8] {
        guard seq > 0 else { return ChainHash.genesis }
        let select = try connection.cachedStatement("SELECT hash FROM events WHERE seq = ?1")
        defer { select.reset() }
        try select.bind(seq, at: 1)
        guard try select.step() else {
            throw SQLiteError(code: SQLiteError.ResultCode.error.rawValue, message: "no event at seq \(seq)")
        }
        return select.blob(at: 0)
    }

    /// A file has one hub, which opens it writable; a journal opened read-only (possibly on a read-only file
    /// system) never writes.
    func promote(epoch: Int64) throws(JournalError) -> (lastSeq: Int64, lastHash: [UInt8]) {
        throw .cannotPromote("a SQLite journal has one hub, which opens the file writable")
    }

    /// The connection's `PRAGMA synchronous` as SQLite reports it: 2 for FULL, 1 for NORMAL.
    func synchronousSetting() throws(JournalError) -> Synchronous {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let connection else { throw .closed }
        let setting = try sqlite { () throws(SQLiteError) in try connection.int64("PRAGMA synchronous") ?? -1 }
        guard let synchronous = Synchronous.allCases.first(where: { $0.pragmaValue == setting }) else {
            throw .sqlite(code: 1, message: "PRAGMA synchronous reads \(setting), neither FULL nor NORMAL")
        }
        return synchronous
    }

    /// Reports the SQL of every statement the writer runs from now on.
    func trace(_ body: @escaping @Sendable (String) -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        connection?.trace(body)
    }

    /// Closes the connection; later calls fail with `JournalError.closed`.
    func close() {
        dispatchPrecondition(condition: .onQueue(queue))
        inserts = nil
        connection = nil
    }

    /// Inserts dictionary `id`, stored LZ4-compressed when that pays; `fromSeq` is the first event that uses it.
    /// Checks that `id` is the next, as the `dictionaries_insert_at_end` trigger does for other connections.
    static func insertDictionary(
        _ id: Int64, fromSeq: Int64, bytes: [UInt8], into connection: Connection
    ) throws(SQLiteError) {
        guard try connection.int64("SELECT coalesce(max(id), 0) + 1 FROM dictionaries") == id else {
            throw refusal("dictionaries must be appended at the next id")
        }
        let insert = try connection.cachedStatement(
            "INSERT INTO dictionaries (id, from_seq, raw_len, bytes) VALUES (?1, ?2, ?3, ?4)")
        defer { insert.reset() }
        try insert.bind(id, at: 1)
        try insert.bind(fromSeq, at: 2)
        try insert.bind(Int64(bytes.count), at: 3)
        try insert.bind(LZ4.pack(bytes), at: 4)
        _ = try insert.step()
    }
}
