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

    init(connection: Connection, queue: DispatchQueue, compression: CompressionState) {
        self.connection = connection
        self.queue = queue
        self.compression = compression
    }

    /// Compresses and inserts `events` (consecutive, in seq order) in one transaction, and returns once it has
    /// committed; with `synchronous = FULL` that commit is durable.
    ///
    /// Each payload is compressed into the compressor's buffer and bound from there, so an event costs no
    /// allocation of its own here. A dictionary made on the way is inserted just before the first event using it.
    func commit(_ events: [RecordedEvent]) throws(JournalError) -> [CreatedDictionary] {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let connection else { throw .closed }
        return try sqlite { () throws(SQLiteError) in
            var created: [CreatedDictionary] = []
            try connection.inTransaction(.immediate) { () throws(SQLiteError) in
                let insert = try connection.cachedStatement(
                    "INSERT INTO events (\(StoredEvent.columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                defer { insert.reset() }
                created = try compression.store(events) { (dictionary) throws(SQLiteError) in
                    try Self.insertDictionary(
                        dictionary.id, fromSeq: dictionary.fromSeq, bytes: dictionary.bytes, into: connection)
                } event: { (event, compressor) throws(SQLiteError) in
                    insert.reset()
                    try insert.bind(event.seq, at: 1)
                    try insert.bind(event.stream, at: 2)
                    try insert.bind(event.version, at: 3)
                    try insert.bind(event.type, at: 4)
                    try insert.bind(event.time, at: 5)
                    try insert.bind(event.actor, at: 6)
                    try insert.bind(Int64(event.payload.count), at: 8)
                    try insert.bind(event.hash, at: 10)
                    try compressor.withCompressed(event.payload) { (block) throws(SQLiteError) in
                        if let block {
                            try insert.bind(compressor.id, at: 7)
                            try insert.bind(block, at: 9)
                        } else {
                            try insert.bind(0, at: 7)
                            try insert.bind(event.payload, at: 9)
                        }
                    }
                    _ = try insert.step()
                }
                return .commit
            }
            return created
        }
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
        connection = nil
    }

    /// Inserts dictionary `id`, stored LZ4-compressed when that pays; `fromSeq` is the first event that uses it.
    static func insertDictionary(
        _ id: Int64, fromSeq: Int64, bytes: [UInt8], into connection: Connection
    ) throws(SQLiteError) {
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
