internal import Synchronization

/// Uncompressed LZ4 dictionaries by id, loaded on first use and kept while recently used: stored dictionaries
/// never change, and a long-lived journal makes one per 512 KiB of payload, so only the most recently used
/// `capacity` stay (a scan of the whole journal reads them in order, one at a time).
///
/// - Note: Thread-safe: the table is behind a mutex, and loading uses the caller's own connection, through `load`.
final class DictionaryCache: Sendable {
    private struct Entries {
        var bytes: [Int64: [UInt8]] = [:]
        var lastUse: [Int64: UInt64] = [:]
        var clock: UInt64 = 0

        mutating func use(_ id: Int64) {
            clock += 1
            lastUse[id] = clock
        }
    }

    /// 64 dictionaries of at most 64 KiB: 4 MiB.
    static let capacity = 64

    private let loaded = Mutex(Entries())

    /// Dictionaries held now; at most `capacity`.
    var count: Int { loaded.withLock { $0.bytes.count } }

    func insert(id: Int64, bytes: [UInt8]) {
        loaded.withLock { entries in
            entries.bytes[id] = bytes
            entries.use(id)
            if entries.bytes.count > Self.capacity, let oldest = entries.lastUse.min(by: { $0.value < $1.value })?.key {
                entries.bytes[oldest] = nil
                entries.lastUse[oldest] = nil
            }
        }
    }

    /// The dictionary `id`, or nil when the store has no such dictionary or its stored bytes do not decode;
    /// `load` reads and unpacks it from the store when it is not cached.
    func bytes<Failure: Error>(
        id: Int64, load: (Int64) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> [UInt8]? {
        let cached = loaded.withLock { entries -> [UInt8]? in
            guard let bytes = entries.bytes[id] else { return nil }
            entries.use(id)
            return bytes
        }
        if let cached {
            return cached
        }
        guard let bytes = try load(id) else { return nil }
        insert(id: id, bytes: bytes)
        return bytes
    }

    /// The uncompressed payload of a stored row, or nil when it does not decode to `raw_len` bytes.
    func payload<Failure: Error>(
        of row: StoredEvent, load: (Int64) throws(Failure) -> [UInt8]?
    ) throws(Failure) -> [UInt8]? {
        guard row.dictionaryID != 0 else {
            return row.payload.count == row.rawLength ? row.payload : nil
        }
        guard let dictionary = try bytes(id: row.dictionaryID, load: load) else { return nil }
        return LZ4.decompress(row.payload, rawLength: Int(row.rawLength), dictionary: dictionary)
    }

    /// The row as an event, or `JournalError.corrupt` when its payload does not decode.
    func event(
        from row: StoredEvent, load: (Int64) throws(JournalError) -> [UInt8]?
    ) throws(JournalError) -> RecordedEvent {
        guard let payload = try payload(of: row, load: load) else {
            throw .corrupt(seq: row.seq, reason: "payload does not decompress with dictionary \(row.dictionaryID)")
        }
        return row.recorded(payload: payload)
    }
}
