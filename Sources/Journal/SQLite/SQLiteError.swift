internal import CSQLite

/// A failure reported by SQLite: its extended result code, its message, and the SQL that failed.
///
/// The description names the SQL text but never the values bound to it, so payload bytes stay out of logs.
///
/// ```swift
/// do { try connection.execute("DELETE FROM events") }
/// catch let error where SQLiteError.ResultCode.constraint ~= error.code { … }
/// ```
struct SQLiteError: Error, Equatable, CustomStringConvertible {
    /// A SQLite result code, primary or extended.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/rescode.html>
    struct ResultCode: RawRepresentable, Hashable, Sendable {
        let rawValue: Int32

        init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// The primary code: the low 8 bits of an extended code.
        var primary: ResultCode { ResultCode(rawValue: rawValue & 0xFF) }

        static let error = ResultCode(rawValue: SQLITE_ERROR)
        static let busy = ResultCode(rawValue: SQLITE_BUSY)
        static let ioError = ResultCode(rawValue: SQLITE_IOERR)
        static let corrupt = ResultCode(rawValue: SQLITE_CORRUPT)
        static let constraint = ResultCode(rawValue: SQLITE_CONSTRAINT)
        static let misuse = ResultCode(rawValue: SQLITE_MISUSE)
        static let constraintTrigger = ResultCode(rawValue: SQLITE_CONSTRAINT | (7 << 8))
        static let constraintPrimaryKey = ResultCode(rawValue: SQLITE_CONSTRAINT | (6 << 8))

        /// Matches an extended code against itself or against its primary code, so `case .constraint:`
        /// catches `SQLITE_CONSTRAINT_TRIGGER` too.
        static func ~= (pattern: ResultCode, code: ResultCode) -> Bool {
            pattern == code || pattern == code.primary
        }
    }

    /// The extended result code.
    let code: ResultCode
    /// SQLite's message, e.g. the text of a trigger's `RAISE(ABORT, …)`.
    let message: String
    /// The SQL that failed, when known.
    let sql: String?

    init(code: Int32, message: String, sql: String? = nil) {
        self.code = ResultCode(rawValue: code)
        self.message = message
        self.sql = sql
    }

    var description: String {
        var text = "SQLite error \(code.rawValue): \(message)"
        if let sql {
            text += " - while executing `\(sql)`"
        }
        return text
    }
}
