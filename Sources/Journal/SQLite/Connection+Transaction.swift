extension Connection {
    /// How a transaction takes its locks.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/lang_transaction.html>
    enum TransactionKind: String {
        /// Locks on first read or write.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so the transaction cannot fail later with `SQLITE_BUSY` on upgrade.
        case immediate = "IMMEDIATE"

        /// The statement that begins one, spelt out so that it is the same cached statement each time.
        var begin: String {
            switch self {
            case .deferred: "BEGIN DEFERRED TRANSACTION"
            case .immediate: "BEGIN IMMEDIATE TRANSACTION"
            }
        }
    }

    /// How `inTransaction` ends a transaction whose body returned normally.
    enum TransactionCompletion {
        case commit
        case rollback
    }

    /// Runs `body` inside a transaction, the only way this target begins one.
    ///
    /// The transaction commits when `body` returns `.commit` and rolls back when it returns `.rollback` or throws.
    /// When both `body` (or `COMMIT`) and the rollback fail, the first error is the one thrown.
    ///
    /// ```swift
    /// try connection.inTransaction(.immediate) {
    ///     try insert.step()
    ///     return .commit
    /// }
    /// ```
    ///
    /// - Warning: Transactions do not nest: calling `inTransaction` from inside `body` fails with `SQLITE_ERROR`.
    func inTransaction(
        _ kind: TransactionKind = .deferred,
        _ body: () throws(SQLiteError) -> TransactionCompletion
    ) throws(SQLiteError) {
        try run(kind.begin)
        let completion: TransactionCompletion
        do {
            completion = try body()
        } catch {
            rollbackIfNeeded()
            throw error
        }
        switch completion {
        case .commit:
            do {
                try run("COMMIT TRANSACTION")
            } catch {
                rollbackIfNeeded()
                throw error
            }
        case .rollback:
            try run("ROLLBACK TRANSACTION")
        }
    }

    /// Runs one statement that returns no rows from the statement cache: the writer begins and commits a transaction
    /// per group commit, and compiling those statements each time costs a lone event more than inserting it.
    private func run(_ sql: String) throws(SQLiteError) {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        _ = try statement.step()
    }

    /// Rolls back after a failure; SQLite may already have rolled back on its own (e.g. after `SQLITE_FULL`).
    private func rollbackIfNeeded() {
        if isInTransaction {
            try? execute("ROLLBACK TRANSACTION")
        }
    }
}
