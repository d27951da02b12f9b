internal import CSQLite
#if canImport(Glibc)
internal import Glibc
#endif

/// An owning handle to one SQLite connection: it closes the database when it goes away.
///
/// ```swift
/// let connection = try Connection(path: path)
/// try connection.execute("PRAGMA journal_mode = WAL")
/// ```
///
/// - Note: `Connection` is not thread-safe and deliberately not `Sendable`. Each one is confined to one owner: the
///   journal's writer queue, or the one caller that checked it out of the reader pool. It is opened in SQLite's
///   multi-thread mode (`SQLITE_OPEN_NOMUTEX`), which relies on exactly that.
final class Connection {
    private let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    private var tracer: Unmanaged<Tracer>?

    /// Opens the database at `path`, creating the file when `create` is true.
    ///
    /// A failed open still allocates a handle, which is closed before the error is thrown.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/open.html>
    convenience init(path: String, create: Bool = true) throws(SQLiteError) {
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create {
            flags |= SQLITE_OPEN_CREATE
        }
        try self.init(location: path, flags: flags)
    }

    /// Opens the database at `path` for reading only, even on a read-only file system. Without a `-wal` file
    /// beside it (a cleanly closed journal) SQLite could not create one there, so the file is opened as immutable:
    /// nothing else can be writing it.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/uri.html>, <https://www.sqlite.org/wal.html#readonly>
    convenience init(readingOnly path: String) throws(SQLiteError) {
        var escaped = ""
        for character in path.unicodeScalars {
            switch character {
            case "%", "?", "#": escaped += "%" + String(character.value, radix: 16, uppercase: true)
            default: escaped.unicodeScalars.append(character)
            }
        }
        var location = "file:\(escaped)?mode=ro"
        if access(path + "-wal", F_OK) != 0 { location += "&immutable=1" }
        try self.init(location: location, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI)
    }

    private init(location: String, flags: Int32) throws(SQLiteError) {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(location, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw SQLiteError(code: code, message: message)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        statements.removeAll()
        tracer?.release()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/exec.html>
    func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        defer { sqlite3_free(errorMessage) }
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// Compiles `sql` into a new statement.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/prepare.html>
    func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(sql: sql)
        }
        return Statement(handle: statement, sql: sql)
    }

    /// Returns the statement for `sql`, compiling it on first use. It comes back reset, with no bindings.
    func cachedStatement(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// The integer in the first column of the first row of a query, or nil when it returns no row.
    ///
    /// ```swift
    /// let count = try connection.int64("SELECT count(*) FROM events WHERE seq > ?1", 100)
    /// ```
    func int64(_ sql: String, _ arguments: Int64...) throws(SQLiteError) -> Int64? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        for (index, argument) in arguments.enumerated() {
            try statement.bind(argument, at: Int32(index + 1))
        }
        return try statement.step() ? statement.int64(at: 0) : nil
    }

    /// Waits up to `milliseconds` for a lock held by another connection before failing with `SQLITE_BUSY`.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/busy_timeout.html>
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Turns this connection's triggers off or on (statements compiled afterwards); other connections keep theirs.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/c_dbconfig_defensive.html>
    func setTriggersEnabled(_ enabled: Bool) throws(SQLiteError) {
        var now: Int32 = -1
        guard csqlite_enable_triggers(handle, enabled ? 1 : 0, &now) == SQLITE_OK, (now != 0) == enabled else {
            throw SQLiteError(
                code: SQLiteError.ResultCode.error.rawValue, message: "cannot turn this connection's triggers \(enabled ? "on" : "off")")
        }
    }

    /// Whether the connection is inside an explicit transaction.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/get_autocommit.html>
    var isInTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }

    /// Reports the unexpanded SQL text of every statement as it starts (trigger bodies appear as `-- TRIGGER name`).
    /// Bound values are never reported. Tests use it to assert the SQL that ran.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/trace_v2.html>
    func trace(_ body: @escaping (String) -> Void) {
        let tracer = Unmanaged.passRetained(Tracer(body: body))
        sqlite3_trace_v2(
            handle, UInt32(SQLITE_TRACE_STMT),
            { _, context, _, text in
                guard let context, let text else { return 0 }
                let tracer = Unmanaged<Tracer>.fromOpaque(context).takeUnretainedValue()
                tracer.body(String(cString: text.assumingMemoryBound(to: CChar.self)))
                return 0
            }, tracer.toOpaque())
        self.tracer?.release()
        self.tracer = tracer
    }

    /// The connection's current error, for a call that just failed.
    func error(sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// Holds the trace callback for the C trampoline in `Connection.trace(_:)`.
private final class Tracer {
    let body: (String) -> Void

    init(body: @escaping (String) -> Void) {
        self.body = body
    }
}
