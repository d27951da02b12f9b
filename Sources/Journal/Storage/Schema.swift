internal import JournalSchema

/// The journal's DDL, embedded from `schema/journal.sql` at build time (see `Sources/JournalSchema`).
enum Schema {
    /// The `schema_version` in `meta` that this code reads and writes.
    static let version: Int64 = 1

    /// The text of `schema/journal.sql`.
    static var sql: String {
        String(cString: flotilla_journal_schema())
    }

    /// The schema version recorded in the file, or nil for a file without the `meta` table (a new file).
    static func recordedVersion(in connection: Connection) throws(SQLiteError) -> Int64? {
        let tables = try connection.int64("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'")
        guard tables == 1 else { return nil }
        return try connection.int64("SELECT value FROM meta WHERE key = 'schema_version'")
    }
}
