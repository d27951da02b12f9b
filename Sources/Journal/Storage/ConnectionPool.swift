internal import Synchronization

/// Reader connections to the journal's store, one per concurrent reader, reused: SQLite read-only connections
/// (in WAL mode they never block the writer or each other) or PostgreSQL sessions.
///
/// - Note: Thread-safe. A connection is not `Sendable`; the pool lends each one to exactly one caller, for the
///   duration of that caller's `withConnection` closure, and a flag on the lease checks it is never lent twice.
final class ConnectionPool<Pooled>: Sendable {
    /// `@unchecked Sendable`: it only moves between the pool's lock and the one borrower holding it; `isLent` traps
    /// any second borrower.
    private final class Lease: @unchecked Sendable {
        let connection: Pooled
        let isLent = Atomic<Bool>(false)

        init(connection: Pooled) {
            self.connection = connection
        }
    }

    private struct State: Sendable {
        var idle: [Lease] = []
        var isClosed = false
    }

    /// Idle connections kept beyond this are closed.
    private static var maxIdle: Int { 4 }

    private let open: @Sendable () throws(JournalError) -> Pooled
    /// Whether a returned connection may be lent again.
    private let isUsable: @Sendable (Pooled) -> Bool
    private let state = Mutex(State())

    /// A pool that makes a new connection with `open` when none is idle, and keeps a returned one while
    /// `isUsable` says it is.
    init(isUsable: @escaping @Sendable (Pooled) -> Bool = { _ in true }, open: @escaping @Sendable () throws(JournalError) -> Pooled) {
        self.isUsable = isUsable
        self.open = open
    }

    /// Runs `body` with a connection of its own.
    func withConnection<T>(_ body: (Pooled) throws(JournalError) -> T) throws(JournalError) -> T {
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
            lent = Lease(connection: try open())
        }
        precondition(!lent.isLent.exchange(true, ordering: .acquiring), "reader connection lent twice")
        return lent
    }

    private func checkIn(_ lease: Lease) {
        precondition(lease.isLent.exchange(false, ordering: .releasing), "reader connection returned twice")
        state.withLock { state in
            if !state.isClosed && state.idle.count < Self.maxIdle && isUsable(lease.connection) {
                state.idle.append(lease)
            }
        }
    }
}
