internal import CLibPQ

#if canImport(Glibc)
    internal import Glibc
#else
    internal import Darwin
#endif

extension PostgresConnection {
    /// Reads what the server has sent and drops the notifications received so far: a waiter only needs to know
    /// that something arrived, then asks the table for the tip.
    ///
    /// - Throws: `PostgresError` when the connection is broken.
    func drainNotifications() throws(PostgresError) {
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(sqlState: "", message: Self.message(of: handle))
        }
        while let notification = PQnotifies(handle) {
            PQfreemem(notification)
        }
    }

    /// Blocks the calling thread until the server sends something or `milliseconds` pass; true when input came.
    func awaitInput(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }
}
