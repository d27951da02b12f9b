internal import CLibPQ

/// One libpq connection to a PostgreSQL server, closed when released.
///
/// Every query sends its parameters and reads its results in binary, so integers and `bytea` cross the wire
/// without text conversion: `int8` is 8 big-endian bytes, `bytea` its raw bytes, `text` its UTF-8 bytes.
///
/// - Note: Not `Sendable` and not thread-safe (libpq's rule for a `PGconn`): one owner uses it at a time, as
///   `PostgresPool` and `PostgresWriter` arrange.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/15/libpq-exec.html>
final class PostgresConnection {
    /// libpq's connection, for the extensions that wait on its socket.
    let handle: OpaquePointer
    /// The session's `SET`s, run again when a lost session is opened anew.
    private var settings: [String] = []

    /// Connects to `url` (`postgres://USER@HOST:PORT/DB`, any form libpq accepts).
    ///
    /// - Throws: `PostgresError` naming the URL's server when libpq cannot parse the URL or reach the server.
    init(url: String) throws(PostgresError) {
        guard let handle = PQconnectdb(url) else {
            throw PostgresError(sqlState: "", message: "cannot allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.message(of: handle)
            PQfinish(handle)
            throw PostgresError(
                sqlState: "", message: "cannot connect to \(JournalLocation.redacting(url)): \(message)")
        }
        self.handle = handle
        // Notices (e.g. "relation already exists, skipping" from the idempotent DDL) would go to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// False once the session is lost, as when the server restarts or fails over: the query that found it out
    /// failed, and `reopenIfLost()` opens a new session for the next.
    var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Sets a session parameter (`name = value`), and again in every session `reopenIfLost()` opens.
    func set(_ setting: String) throws(PostgresError) {
        try execute("SET \(setting)")
        let name = setting.prefix { $0 != " " && $0 != "=" }
        settings.removeAll { $0.prefix { $0 != " " && $0 != "=" } == name }
        settings.append(setting)
    }

    /// Opens a new session with the same parameters and settings when this one is lost; does nothing otherwise.
    func reopenIfLost() throws(PostgresError) {
        guard !isOpen else { return }
        PQreset(handle)
        guard isOpen else { throw PostgresError(sqlState: "", message: "cannot reconnect: \(Self.message(of: handle))") }
        for setting in settings { try execute("SET \(setting)") }
    }

    /// Runs one or more statements without parameters (DDL, `BEGIN`), discarding any rows.
    func execute(_ sql: String) throws(PostgresError) {
        let result = PQexec(handle, sql)
        try check(result).clear()
    }

    /// Runs one statement with binary parameters and returns its rows, read in binary.
    func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        let result = PostgresValue.withBound(parameters) { types, values, lengths, formats in
            PQexecParams(handle, sql, Int32(parameters.count), types, values, lengths, formats, 1)
        }
        return try check(result)
    }

    /// The first column of the first row as an integer, or nil when there is no row or it is NULL.
    func int64(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> Int64? {
        let result = try query(sql, parameters)
        defer { result.clear() }
        guard result.rows > 0, !result.isNull(row: 0, column: 0) else { return nil }
        return result.int64(row: 0, column: 0)
    }

    /// Runs `body` in a transaction opened with `begin`: it commits when `body` returns, and rolls back
    /// (rethrowing the first error) when it throws.
    func inTransaction<T>(
        _ begin: String = "BEGIN", _ body: () throws(PostgresError) -> T
    ) throws(PostgresError) -> T {
        try execute(begin)
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Wraps a result, or throws the error it reports (and frees it).
    private func check(_ result: OpaquePointer?) throws(PostgresError) -> PostgresResult {
        guard let result else {
            throw PostgresError(sqlState: "", message: Self.message(of: handle))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            PQclear(result)
            throw PostgresError(sqlState: state, message: primary ?? Self.message(of: handle))
        }
    }

    static func message(of handle: OpaquePointer) -> String {
        String(cString: PQerrorMessage(handle)).trimmingSuffix { $0 == "\n" || $0 == " " }
    }
}

extension String {
    /// The string without the trailing characters that satisfy `drop`.
    fileprivate func trimmingSuffix(while drop: (Character) -> Bool) -> String {
        var end = endIndex
        while end > startIndex, drop(self[index(before: end)]) { end = index(before: end) }
        return String(self[..<end])
    }
}
