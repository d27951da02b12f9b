/// Why a journal operation failed.
public enum JournalError: Error {
    /// A write expected another version of the stream; nothing in the call was written.
    case versionConflict(stream: String, expected: ExpectedVersion, actual: Int64)
    /// SQLite failed; `code` is SQLite's primary result code, `message` its message (never payload bytes).
    case sqlite(code: Int32, message: String)
    /// PostgreSQL failed; `sqlState` is the server's SQLSTATE (empty when the connection itself failed), `message`
    /// its message (never payload bytes).
    case postgres(sqlState: String, message: String)
    /// `--db` (or another location) is not a usable journal location; the reason names what is wrong.
    case invalidLocation(String)
    /// Stored data no longer decodes (damaged compression, missing dictionary); `seq` names the event row, or is 0
    /// when the damage is in no event row.
    case corrupt(seq: Int64, reason: String)
    /// The journal was closed.
    case closed
    /// The file's schema version is not one this code can read.
    case unsupportedSchema(version: Int64)
    /// A checkpoint named a seq outside `0...lastSeq`.
    case checkpointOutOfRange(seq: Int64, lastSeq: Int64)
    /// The journal was opened for reading only.
    case readOnly
    /// Asked to learn another writer's commits, but this instance is the journal's writer.
    case notReadOnly
    /// A copy's target already holds events; a journal is copied only into an empty one.
    case notEmpty(events: Int64)
    /// This writer's epoch was fenced off: another hub won the leadership under `leaderEpoch`, and the store
    /// refuses every append of `epoch`. Nothing of the refused commit was written.
    case deposed(epoch: Int64, leaderEpoch: Int64)
    /// The journal cannot become a writer this way; the reason names why.
    case cannotPromote(String)
}

extension JournalError: Equatable {}

extension JournalError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .versionConflict(let stream, let expected, let actual):
            "version conflict on stream '\(stream)': expected \(expected), found version \(actual)"
        case .sqlite(let code, let message):
            "SQLite error \(code): \(message)"
        case .postgres(let sqlState, let message):
            sqlState.isEmpty ? "PostgreSQL: \(message)" : "PostgreSQL error \(sqlState): \(message)"
        case .invalidLocation(let reason):
            "invalid journal location: \(reason)"
        case .corrupt(let seq, let reason):
            "journal corrupt at seq \(seq): \(reason)"
        case .closed:
            "the journal is closed"
        case .unsupportedSchema(let version):
            "unsupported journal schema version \(version) (this build reads version \(Schema.version))"
        case .checkpointOutOfRange(let seq, let lastSeq):
            "checkpoint seq \(seq) is outside the log (last seq \(lastSeq))"
        case .readOnly:
            "the journal was opened read-only"
        case .notReadOnly:
            "the journal is written by this instance: there is no other writer to follow"
        case .notEmpty(let events):
            "the target journal already holds \(events) events; copy only into an empty journal"
        case .deposed(let epoch, let leaderEpoch):
            "this writer's epoch \(epoch) was fenced off: the journal's leader writes at epoch \(leaderEpoch)"
        case .cannotPromote(let reason):
            "cannot promote the journal to writer: \(reason)"
        }
    }
}

extension JournalError {
    /// Reports a storage failure at the journal's boundary, keeping SQLite's primary code and message.
    init(_ error: SQLiteError) {
        self = .sqlite(code: error.code.primary.rawValue, message: error.message)
    }
}

extension JournalError {
    /// Reports a PostgreSQL failure at the journal's boundary, keeping its SQLSTATE and message.
    init(_ error: PostgresError) {
        self = .postgres(sqlState: error.sqlState, message: error.message)
    }
}

/// Runs PostgreSQL work and reports its failure as a `JournalError`.
func postgres<T>(_ body: () throws(PostgresError) -> T) throws(JournalError) -> T {
    do {
        return try body()
    } catch {
        throw JournalError(error)
    }
}

/// Runs SQLite work and reports its failure as a `JournalError`.
func sqlite<T>(_ body: () throws(SQLiteError) -> T) throws(JournalError) -> T {
    do {
        return try body()
    } catch {
        throw JournalError(error)
    }
}
