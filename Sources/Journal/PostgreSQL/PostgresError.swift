/// A failure reported by libpq or the PostgreSQL server.
///
/// `sqlState` is the server's five-character SQLSTATE (`23505` unique violation, `P0001` a trigger's `RAISE`), or
/// empty when the failure is the connection's own (unreachable server, malformed URL). The description never holds
/// bound values, so payload bytes never reach a log.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/15/errcodes-appendix.html>
struct PostgresError: Error, Equatable, CustomStringConvertible {
    let sqlState: String
    let message: String

    var description: String {
        sqlState.isEmpty ? "PostgreSQL: \(message)" : "PostgreSQL error \(sqlState): \(message)"
    }
}
