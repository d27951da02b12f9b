internal import Glibc

/// One event as replay reads it: what a projection folds in, with the payload lent from the reader's buffer.
///
/// Stream, version and hash are left out: folding does not read them, and `verify` checks them.
public struct ReplayedEvent {
    public let seq: Int64
    public let type: String
    /// When it happened, in milliseconds since the Unix epoch.
    public let time: Int64
    public let actor: String
    /// The canonical JSON bytes, uncompressed; valid only until the `replay` body returns.
    public let payload: UnsafeBufferPointer<UInt8>
}

extension Journal {
    /// Calls `body` with every durable event after `seq` up to `end`, in seq order, reading them in one pass with
    /// nothing allocated per event but what `body` keeps: the payload is decompressed into one reused buffer, and
    /// repeated type and actor names are made once.
    ///
    /// Start-up replays the whole journal through this. Unlike `scan`, the read stays open while `body` runs, so
    /// `body` must not use the journal.
    ///
    /// ```swift
    /// try journal.replay(after: checkpoint.seq) { event in state.apply(event.type, event.payload) }
    /// ```
    ///
    /// - Throws: What `body` throws, unchanged; `JournalError.corrupt` when a payload does not decompress.
    public func replay(after seq: Int64, through end: Int64 = .max, _ body: (ReplayedEvent) throws -> Void) throws {
        let last = min(end, durableSeq)
        guard seq < last else { return }
        var failure: (any Error)?
        try readers.withConnection { connection throws(JournalError) in
            try sqlite { () throws(SQLiteError) in
                let statement = try connection.cachedStatement(
                    """
                    SELECT seq, type, time, actor, dict_id, raw_len, payload FROM events \
                    WHERE seq > ?1 AND seq <= ?2 ORDER BY seq
                    """)
                defer { statement.reset() }
                try statement.bind(seq, at: 1)
                try statement.bind(last, at: 2)
                var types = InternedNames()
                var actors = InternedNames()
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                var dictionaryID: Int64 = 0
                var dictionary: [UInt8] = []
                while try statement.step() {
                    let row = statement.int64(at: 0)
                    let id = statement.int64(at: 4)
                    let rawLength = Int(statement.int64(at: 5))
                    let stored = statement.blobBytes(at: 6)
                    if id != 0 && id != dictionaryID {
                        guard let bytes = try dictionaries.bytes(id: id, using: connection) else {
                            failure = JournalError.corrupt(seq: row, reason: "dictionary \(id) is missing or damaged")
                            return
                        }
                        dictionary = bytes
                        dictionaryID = id
                    }
                    if rawLength > buffer.count { buffer = [UInt8](repeating: 0, count: rawLength) }
                    let event = buffer.withUnsafeMutableBufferPointer { output -> ReplayedEvent? in
                        let payload: UnsafeBufferPointer<UInt8>
                        if id == 0 {
                            guard stored.count == rawLength else { return nil }
                            payload = stored.assumingMemoryBound(to: UInt8.self)
                        } else {
                            let target = UnsafeMutableBufferPointer(rebasing: output[0..<rawLength])
                            let intact = dictionary.withUnsafeBytes { dictionary in
                                LZ4.decompress(stored, into: target, dictionary: dictionary)
                            }
                            guard intact else { return nil }
                            payload = UnsafeBufferPointer(target)
                        }
                        return ReplayedEvent(
                            seq: row, type: types.name(statement.textBytes(at: 1)), time: statement.int64(at: 2),
                            actor: actors.name(statement.textBytes(at: 3)), payload: payload)
                    }
                    guard let event else {
                        failure = JournalError.corrupt(seq: row, reason: "payload does not decompress with dictionary \(id)")
                        return
                    }
                    do {
                        try body(event)
                    } catch {
                        failure = error
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
    }
}

/// The names a journal repeats row after row (event types, actors such as `member/<cluster>`), each made into a
/// `String` once while it keeps coming: a table of recent names indexed by a hash of their bytes.
struct InternedNames {
    /// Slots in the table; a name whose slot another took is made again.
    static let slots = 1024

    private var table = [(bytes: [UInt8], name: String)?](repeating: nil, count: slots)

    mutating func name(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let slot = Int(hash % UInt64(Self.slots))
        // memcmp, not `elementsEqual`: the generic comparison went byte by byte and was a twentieth of replay.
        if let entry = table[slot], entry.bytes.count == bytes.count,
            bytes.isEmpty || entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
        {
            return entry.name
        }
        let name = String(decoding: bytes, as: UTF8.self)
        table[slot] = (Array(bytes), name)
        return name
    }
}
