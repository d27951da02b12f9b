internal import Dispatch

/// The PostgreSQL journal's writer: it owns one session, the compression state and the leader epoch it stamps on
/// every event, and runs every transaction that changes the journal.
///
/// - Note: `@unchecked Sendable` because `PostgresConnection` and `CompressionState` are not: every method runs on
///   `queue`, the journal's serial writer queue, and checks that with `dispatchPrecondition`.
final class PostgresWriter: StoreWriter, @unchecked Sendable {
    private let queue: DispatchQueue
    private var connection: PostgresConnection?
    private var compression: CompressionState
    /// The leader epoch read when the journal was opened, or won before `promote`; the insert trigger refuses
    /// events of any other.
    private var epoch: Int64
    /// The readers' dictionaries, which a promotion reloads from the database.
    private let dictionaries: DictionaryCache

    init(
        connection: PostgresConnection, queue: DispatchQueue, compression: CompressionState, epoch: Int64,
        dictionaries: DictionaryCache
    ) {
        self.connection = connection
        self.queue = queue
        self.compression = compression
        self.epoch = epoch
        self.dictionaries = dictionaries
    }

    /// Compresses and inserts `events` in one transaction; with `synchronous_commit = on` the commit is durable
    /// (flushed on the server) when this returns.
    func commit(_ events: [RecordedEvent]) throws(JournalError) -> [CreatedDictionary] {
        dispatchPrecondition(condition: .onQueue(queue))
        let connection = try usableConnection()
        do {
            return try insert(events, through: connection)
        } catch where error.sqlState == Self.checkViolation {
            throw try deposition(through: connection) ?? JournalError(error)
        } catch {
            throw JournalError(error)
        }
    }

    /// SQLSTATE of the insert trigger's refusals, among them an append from a fenced-off epoch.
    private static let checkViolation = "23514"

    /// `.deposed` when the leader row names another epoch than this writer's.
    private func deposition(through connection: PostgresConnection) throws(JournalError) -> JournalError? {
        let leaderEpoch = try postgres { () throws(PostgresError) in
            try connection.int64("SELECT epoch FROM leader WHERE id = 1") ?? 0
        }
        return leaderEpoch == epoch ? nil : .deposed(epoch: epoch, leaderEpoch: leaderEpoch)
    }

    /// The transaction of `commit`.
    private func insert(
        _ events: [RecordedEvent], through connection: PostgresConnection
    ) throws(PostgresError) -> [CreatedDictionary] {
        let epoch = self.epoch
        return try connection.inTransaction { () throws(PostgresError) in
            var rows: [PostgresValue] = []
            func insertRows() throws(PostgresError) {
                guard !rows.isEmpty else { return }
                try connection.query(Self.insertEvents(count: rows.count / Self.eventColumns), rows).clear()
                rows.removeAll(keepingCapacity: true)
            }
            let created = try compression.store(events) { (dictionary) throws(PostgresError) in
                try Self.insertDictionary(
                    dictionary.id, fromSeq: dictionary.fromSeq, bytes: dictionary.bytes, into: connection)
            } event: { (event, compressor) throws(PostgresError) in
                let (dictionaryID, stored) = compressor.withCompressed(event.payload) { block in
                    block.map { (compressor.id, Array($0)) } ?? (0, event.payload)
                }
                rows += [
                    .int64(event.seq), .text(event.stream), .int64(event.version), .text(event.type),
                    .int64(event.time), .text(event.actor), .int64(dictionaryID),
                    .int64(Int64(event.payload.count)), .bytea(stored), .bytea(event.hash), .int64(epoch),
                ]
                if rows.count == Self.eventsPerInsert * Self.eventColumns { try insertRows() }
            }
            try insertRows()
            return created
        }
    }

    /// Events one INSERT carries: each round trip to the server costs more than the rows, so a batch goes in
    /// statements of this many rows. The row triggers still check each row, seeing the rows before it.
    static let eventsPerInsert = 100

    /// Parameters per event row: `StoredEvent.columns` and the epoch.
    private static let eventColumns = 11

    /// `INSERT INTO events` with `count` rows of parameters.
    private static func insertEvents(count: Int) -> String {
        let rows = (0..<count).map { row in
            "(" + (1...eventColumns).map { "$\(row * eventColumns + $0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO events (\(StoredEvent.columns), epoch) VALUES " + rows.joined(separator: ", ")
    }

    /// Stores a checkpoint with the chain hash of event `seq`, replacing one at the same seq, and prunes old ones.
    func saveCheckpoint(seq: Int64, rawLength: Int, stored: [UInt8], retained: Int) throws(JournalError) {
        dispatchPrecondition(condition: .onQueue(queue))
        let connection = try usableConnection()
        try postgres { () throws(PostgresError) in
            try connection.inTransaction { () throws(PostgresError) in
                let hash = try PostgresStore.chainHash(at: seq, in: connection)
                try connection.query(
                    """
                    INSERT INTO checkpoints (seq, raw_len, image, hash) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (seq) DO UPDATE
                    SET raw_len = EXCLUDED.raw_len, image = EXCLUDED.image, hash = EXCLUDED.hash
                    """, [.int64(seq), .int64(Int64(rawLength)), .bytea(stored), .bytea(hash)]
                ).clear()
                try connection.query(
                    "DELETE FROM checkpoints WHERE seq NOT IN (SELECT seq FROM checkpoints ORDER BY seq DESC LIMIT $1)",
                    [.int64(Int64(retained))]
                ).clear()
            }
        }
    }

    /// The writer's session, opened anew when the server restarted or failed over since the last use: the write
    /// that found it lost failed, and the one after goes through.
    private func usableConnection() throws(JournalError) -> PostgresConnection {
        guard let connection else { throw .closed }
        try postgres { () throws(PostgresError) in try connection.reopenIfLost() }
        return connection
    }

    /// Turns this writer of a journal opened read-only into the one writing under `epoch`: its session may write,
    /// and it carries on from the log's tip as it stands in the database now.
    func promote(epoch: Int64) throws(JournalError) -> (lastSeq: Int64, lastHash: [UInt8]) {
        dispatchPrecondition(condition: .onQueue(queue))
        let connection = try usableConnection()
        try postgres { () throws(PostgresError) in try connection.set("default_transaction_read_only = off") }
        let tip = try PostgresStore.readTip(in: connection, dictionaries: dictionaries)
        compression = tip.compression
        self.epoch = epoch
        return (tip.lastSeq, tip.lastHash)
    }

    /// Renews `hub`'s lease on the leader row, or takes an ended one under the next epoch, as `LeaseDecision`
    /// says, and returns the row as it then stands. The row is locked from the read to the write, so campaigns
    /// take turns, and every time is the database's, so the hubs' clocks need not agree.
    func campaign(hub: String, address: String, lease: Duration) throws(JournalError) -> Leadership {
        dispatchPrecondition(condition: .onQueue(queue))
        let connection = try usableConnection()
        let leaseMilliseconds = lease.milliseconds
        return try postgres { () throws(PostgresError) in
            // Read-write even in a journal opened read-only: followers campaign too.
            try connection.inTransaction("BEGIN READ WRITE") { () throws(PostgresError) in
                let row = try connection.query(
                    """
                    SELECT holder, expires, (extract(epoch FROM clock_timestamp()) * 1000)::int8
                    FROM leader WHERE id = 1 FOR UPDATE
                    """)
                defer { row.clear() }
                let now = row.int64(row: 0, column: 2)
                let decision = LeaseDecision.decide(
                    holder: row.text(row: 0, column: 0), expires: row.int64(row: 0, column: 1), hub: hub, now: now)
                if let change = Self.leaderChange[decision] {
                    try connection.query(change, [.text(hub), .text(address), .int64(now + leaseMilliseconds)]).clear()
                }
                let leader = try connection.query("SELECT holder, address, epoch, expires FROM leader WHERE id = 1")
                defer { leader.clear() }
                let expires = leader.int64(row: 0, column: 3)
                return Leadership(
                    holder: leader.text(row: 0, column: 0), address: leader.text(row: 0, column: 1),
                    epoch: leader.int64(row: 0, column: 2), expires: expires, remaining: .milliseconds(expires - now))
            }
        }
    }

    /// The statement carrying out each decision that changes the leader row, with the campaigner's name ($1), its
    /// address ($2) and the lease's new end ($3).
    private static let leaderChange: [LeaseDecision: String] = [
        .renew: "UPDATE leader SET address = $2, expires = $3 WHERE id = 1 AND holder = $1",
        .take: """
            UPDATE leader SET epoch = epoch + 1, holder = $1, address = $2,
            since = (extract(epoch FROM clock_timestamp()) * 1000)::int8, expires = $3 WHERE id = 1
            """,
    ]

    /// The session's `synchronous_commit`: `on` is `.full`, `off` is `.normal`.
    func synchronousSetting() throws(JournalError) -> Synchronous {
        dispatchPrecondition(condition: .onQueue(queue))
        let connection = try usableConnection()
        let setting = try postgres { () throws(PostgresError) in
            let result = try connection.query("SHOW synchronous_commit")
            defer { result.clear() }
            return result.text(row: 0, column: 0)
        }
        guard let synchronous = Synchronous.allCases.first(where: { $0.synchronousCommit == setting }) else {
            throw .postgres(sqlState: "", message: "synchronous_commit is '\(setting)', neither on nor off")
        }
        return synchronous
    }

    /// Closes the session; later calls fail with `JournalError.closed`.
    func close() {
        dispatchPrecondition(condition: .onQueue(queue))
        connection = nil
    }

    /// Inserts dictionary `id`, stored LZ4-compressed when that pays; `fromSeq` is the first event that uses it.
    static func insertDictionary(
        _ id: Int64, fromSeq: Int64, bytes: [UInt8], into connection: PostgresConnection
    ) throws(PostgresError) {
        try connection.query(
            "INSERT INTO dictionaries (id, from_seq, raw_len, bytes) VALUES ($1, $2, $3, $4)",
            [.int64(id), .int64(fromSeq), .int64(Int64(bytes.count)), .bytea(LZ4.pack(bytes))]
        ).clear()
    }
}
