extension Connection {
    /// How a transaction takes its locks.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/lang_transaction.html>
    enum TransactionKind: String {
        /// Locks on first read or write.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so the transaction cannot fail later with `SQLITE_BUSY` on upgrade.
        case immediate = "IMMEDIATE"
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
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
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
                try execute("COMMIT TRANSACTION")
            } catch {
                rollbackIfNeeded()
                throw error
            }
        case .rollback:
            try execute("ROLLBACK TRANSACTION")
        }
    }

    /// Rolls back after a failure; SQLite may already have rolled back on its own (e.g. after `SQLITE_FULL`).
    private func rollbackIfNeeded() {
        if isInTransaction {
            try? execute("ROLLBACK TRANSACTION")
        }
    }
}
