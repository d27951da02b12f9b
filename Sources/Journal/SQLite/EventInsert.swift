/// Inserts each commit's events into `events` through multi-row `INSERT` statements of a few fixed sizes, each
/// compiled once: a statement per row costs SQLite more than the row itself (`sqlite3_step`, `reset`, the
/// statement's own opcodes), and a commit of 100 events takes 3 statements of 32 rows and one of 4.
///
/// The bytes the rows bind (texts, hash, stored payload) are first copied into one buffer kept from commit to
/// commit and bound from there without SQLite copying them again: a copying bind allocates for every value, and
/// 32 rows' worth of allocations live at once cost more than the copies.
///
/// - Note: Confined like the `Connection` it writes through: it belongs to the writer.
final class EventInsert {
    /// Rows per statement, largest first; any count is a sum of them, taken greedily.
    static let sizes = [32, 4, 1]

    /// The statement inserting `rows` rows, numbered `?1`, `?2`, ... row after row in `StoredEvent.columns`
    /// order. The one-row statement is the plain insert.
    static func sql(rows: Int) -> String {
        let values = (0..<rows).map { row in
            "(" + (1...columnCount).map { "?\(row * columnCount + $0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO events (\(StoredEvent.columns)) VALUES \(values.joined(separator: ", "))"
    }

    private static let columnCount = 10

    private let connection: Connection
    private var statements: [Int: Statement] = [:]
    /// The commit's bound bytes; nothing in it moves until the next `begin`.
    private var buffer: UnsafeMutableRawPointer
    private var capacity = 4096
    private var used = 0
    /// Events of the commit not yet bound.
    private var remaining = 0
    /// The statement being filled, its size, and the rows bound into it so far.
    private var statement: Statement?
    private var size = 0
    private var bound = 0

    init(connection: Connection) {
        self.connection = connection
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        statement?.reset()
        buffer.deallocate()
    }

    /// Starts a commit of `events`: makes room for every byte their rows bind (a stored payload is never longer
    /// than the raw one), so that none moves before the commit's last statement has run.
    func begin(_ events: [RecordedEvent]) {
        statement?.reset()
        statement = nil
        var needed = 0
        for event in events {
            needed += event.stream.utf8.count + event.type.utf8.count + event.actor.utf8.count + event.hash.count
            needed += event.payload.count
        }
        if needed > capacity {
            buffer.deallocate()
            capacity = max(needed, capacity * 2)
            buffer = .allocate(byteCount: capacity, alignment: 16)
        }
        used = 0
        remaining = events.count
    }

    /// Binds `event` into the current statement, its payload compressed by `compressor` (or raw when that does
    /// not make it smaller), and runs the statement once it is full.
    func insert(_ event: RecordedEvent, compressor: DictionaryCompressor) throws(SQLiteError) {
        let statement = try current()
        let base = Int32(bound * Self.columnCount)
        try statement.bind(event.seq, at: base + 1)
        try statement.bind(unsafeText: copy(event.stream), at: base + 2)
        try statement.bind(event.version, at: base + 3)
        try statement.bind(unsafeText: copy(event.type), at: base + 4)
        try statement.bind(event.time, at: base + 5)
        try statement.bind(unsafeText: copy(event.actor), at: base + 6)
        try statement.bind(Int64(event.payload.count), at: base + 8)
        try statement.bind(unsafeBlob: event.hash.withUnsafeBytes { copy($0) }, at: base + 10)
        let stored = compressor.withCompressed(event.payload) { block in
            block.map { (compressor.id, copy($0)) }
        }
        try statement.bind(stored?.0 ?? 0, at: base + 7)
        try statement.bind(unsafeBlob: stored?.1 ?? event.payload.withUnsafeBytes { copy($0) }, at: base + 9)
        bound += 1
        remaining -= 1
        guard bound == size else { return }
        self.statement = nil
        defer { statement.reset() }
        _ = try statement.step()
    }

    /// Leaves the statement being filled (after a failure) reset, so that it holds nothing.
    func abandon() {
        statement?.reset()
        statement = nil
    }

    /// The statement to bind the next event into: the one being filled, or the largest that the events left fill.
    private func current() throws(SQLiteError) -> Statement {
        if let statement { return statement }
        size = Self.sizes.first { $0 <= remaining } ?? 1
        bound = 0
        let statement: Statement
        if let prepared = statements[size] {
            statement = prepared
        } else {
            statement = try connection.prepare(Self.sql(rows: size))
            statements[size] = statement
        }
        self.statement = statement
        return statement
    }

    /// Copies `bytes` to the commit's buffer, where they stay until the next `begin`.
    private func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let destination = buffer + used
        if let source = bytes.baseAddress {
            destination.copyMemory(from: source, byteCount: bytes.count)
        }
        used += bytes.count
        return UnsafeRawBufferPointer(start: destination, count: bytes.count)
    }

    private func copy(_ text: String) -> UnsafeRawBufferPointer {
        var text = text
        return text.withUTF8 { copy(UnsafeRawBufferPointer($0)) }
    }
}
