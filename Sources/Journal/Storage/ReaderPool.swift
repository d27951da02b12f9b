internal import Synchronization

/// Read-only connections to the journal file, one per concurrent reader, reused.
///
/// In WAL mode readers never block the writer or each other, and each sees only committed (durable) rows.
///
/// - Note: Thread-safe. A `Connection` is not `Sendable`; the pool lends each one to exactly one caller, for the
///   duration of that caller's `withConnection` closure, and a flag on the lease checks it is never lent twice.
final class ReaderPool: Sendable {
    /// `@unchecked Sendable`: it only moves between the pool's lock and the one borrower holding it; `isLent` traps
    /// any second borrower.
    private final class Lease: @unchecked Sendable {
        let connection: Connection
        let isLent = Atomic<Bool>(false)

        init(connection: Connection) {
            self.connection = connection
        }
    }

    private struct State: Sendable {
        var idle: [Lease] = []
        var isClosed = false
    }

    /// Idle connections kept beyond this are closed.
    private static let maxIdle = 4

    private let path: String
    private let readOnly: Bool
    private let state = Mutex(State())

    init(path: String, readOnly: Bool = false) {
        self.path = path
        self.readOnly = readOnly
    }

    /// Runs `body` with a connection of its own.
    func withConnection<T>(_ body: (Connection) throws(JournalError) -> T) throws(JournalError) -> T {
        let lease = try checkOut()
        defer { checkIn(lease) }
        return try body(lease.connection)
    }

    /// Closes idle connections and refuses new borrowers; connections still lent close when returned.
    func close() {
        state.withLock { state in
            state.isClosed = true
            state.idle.removeAll()
        }
    }

    private func checkOut() throws(JournalError) -> Lease {
        let lease = try state.withLock { state throws(JournalError) -> Lease? in
            if state.isClosed { throw .closed }
            return state.idle.popLast()
        }
        let lent: Lease
        if let lease {
            lent = lease
        } else {
            lent = Lease(connection: try openConnection())
        }
        precondition(!lent.isLent.exchange(true, ordering: .acquiring), "reader connection lent twice")
        return lent
    }

    private func checkIn(_ lease: Lease) {
        precondition(lease.isLent.exchange(false, ordering: .releasing), "reader connection returned twice")
        state.withLock { state in
            if !state.isClosed && state.idle.count < Self.maxIdle {
                state.idle.append(lease)
            }
        }
    }

    private func openConnection() throws(JournalError) -> Connection {
        try sqlite { () throws(SQLiteError) in
            let connection = readOnly ? try Connection(readingOnly: path) : try Connection(path: path, create: false)
            connection.setBusyTimeout(milliseconds: 5000)
            try connection.execute("PRAGMA query_only = ON")
            return connection
        }
    }
}
