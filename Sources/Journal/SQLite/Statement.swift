internal import CSQLite

/// An owning handle to one compiled SQL statement: it is finalized when it goes away.
///
/// Parameters are 1-based and columns 0-based, as in SQLite. Reset a statement when done with it (cached statements
/// are also reset when handed out again): a statement left mid-result holds a read transaction open.
///
/// ```swift
/// let statement = try connection.cachedStatement("SELECT seq FROM events WHERE stream = ?1")
/// defer { statement.reset() }
/// try statement.bind("placement/a", at: 1)
/// while try statement.step() { print(statement.int64(at: 0)) }
/// ```
///
/// - Note: Confined like the `Connection` it came from.
final class Statement {
    private let handle: OpaquePointer
    /// The SQL text, for error messages.
    let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/bind_blob.html>
    func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds the exact UTF-8 bytes of `value`; an empty string binds `''`, not `NULL`.
    func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        let code = value.withCString { text in
            sqlite3_bind_text64(handle, index, text, UInt64(value.utf8.count), csqlite_transient(), UInt8(SQLITE_UTF8))
        }
        try check(code)
    }

    /// Binds `value` as a blob; an empty array binds a zero-length blob, not `NULL`.
    func bind(_ value: [UInt8], at index: Int32) throws(SQLiteError) {
        let code = value.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress, !bytes.isEmpty {
                sqlite3_bind_blob64(handle, index, base, UInt64(bytes.count), csqlite_transient())
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)
            }
        }
        try check(code)
    }

    /// Binds the bytes as a blob, copied by SQLite; an empty buffer binds a zero-length blob, not `NULL`.
    func bind(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws(SQLiteError) {
        let code =
            if let base = bytes.baseAddress, !bytes.isEmpty {
                sqlite3_bind_blob64(handle, index, base, UInt64(bytes.count), csqlite_transient())
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)
            }
        try check(code)
    }

    /// Binds the bytes as text without copying them: they must stay in place, unchanged, until the statement has
    /// run and been reset. An empty buffer binds `''`, not `NULL`, when it has an address.
    func bind(unsafeText bytes: UnsafeRawBufferPointer, at index: Int32) throws(SQLiteError) {
        let text = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        try check(sqlite3_bind_text64(handle, index, text, UInt64(bytes.count), nil, UInt8(SQLITE_UTF8)))
    }

    /// Binds the bytes as a blob without copying them, as `bind(unsafeText:at:)`; an empty buffer binds a
    /// zero-length blob, not `NULL`.
    func bind(unsafeBlob bytes: UnsafeRawBufferPointer, at index: Int32) throws(SQLiteError) {
        let code =
            if let base = bytes.baseAddress, !bytes.isEmpty {
                sqlite3_bind_blob64(handle, index, base, UInt64(bytes.count), nil)
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)
            }
        try check(code)
    }

    /// Advances to the next row: true when a row is ready to read, false when the statement is done.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/step.html>
    func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            throw databaseError()
        }
    }

    /// Rewinds the statement and clears its bindings.
    ///
    /// `sqlite3_reset` repeats the error of the last failed step, which `step()` has already thrown.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/reset.html>
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/column_blob.html>
    func int64(at column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func isNull(at column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func text(at column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column's bytes; a zero-length blob reads as `[]` (SQLite reports it as a null pointer).
    func blob(at column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The column's text bytes without copying them: valid until the next step, reset or column read of it.
    func textBytes(at column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// The column's blob bytes without copying them: valid until the next step, reset or column read of it.
    func blobBytes(at column: Int32) -> UnsafeRawBufferPointer {
        guard let bytes = sqlite3_column_blob(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw databaseError() }
    }

    private func databaseError() -> SQLiteError {
        let database = sqlite3_db_handle(handle)
        return SQLiteError(
            code: sqlite3_extended_errcode(database), message: String(cString: sqlite3_errmsg(database)), sql: sql)
    }
}
