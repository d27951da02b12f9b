internal import Synchronization

/// Uncompressed LZ4 dictionaries by id, loaded on first use and then kept: stored dictionaries never change.
///
/// - Note: Thread-safe: the table is behind a mutex, and loading uses the caller's own connection.
final class DictionaryCache: Sendable {
    private let loaded = Mutex<[Int64: [UInt8]]>([:])

    func insert(id: Int64, bytes: [UInt8]) {
        loaded.withLock { $0[id] = bytes }
    }

    /// The dictionary `id`, or nil when the file has no such dictionary or its stored bytes do not decode.
    func bytes(id: Int64, using connection: Connection) throws(SQLiteError) -> [UInt8]? {
        if let bytes = loaded.withLock({ $0[id] }) {
            return bytes
        }
        let statement = try connection.cachedStatement("SELECT raw_len, bytes FROM dictionaries WHERE id = ?1")
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        guard try statement.step(),
            let bytes = LZ4.unpack(statement.blob(at: 1), rawLength: Int(statement.int64(at: 0)))
        else { return nil }
        insert(id: id, bytes: bytes)
        return bytes
    }

    /// The uncompressed payload of a stored row, or nil when it does not decode to `raw_len` bytes.
    func payload(of row: StoredEvent, using connection: Connection) throws(SQLiteError) -> [UInt8]? {
        guard row.dictionaryID != 0 else {
            return row.payload.count == row.rawLength ? row.payload : nil
        }
        guard let dictionary = try bytes(id: row.dictionaryID, using: connection) else { return nil }
        return LZ4.decompress(row.payload, rawLength: Int(row.rawLength), dictionary: dictionary)
    }

    /// The row as an event, or `JournalError.corrupt` when its payload does not decode.
    func event(from row: StoredEvent, using connection: Connection) throws(JournalError) -> RecordedEvent {
        guard let payload = try sqlite({ () throws(SQLiteError) in try self.payload(of: row, using: connection) })
        else {
            throw .corrupt(seq: row.seq, reason: "payload does not decompress with dictionary \(row.dictionaryID)")
        }
        return row.recorded(payload: payload)
    }
}
