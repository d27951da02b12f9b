/// One `events` row as stored: the payload still compressed.
struct StoredEvent {
    /// The columns `init(_:)` reads, in order.
    static let columns = "seq, stream, version, type, time, actor, dict_id, raw_len, payload, hash"

    let seq: Int64
    let stream: String
    let version: Int64
    let type: String
    let time: Int64
    let actor: String
    /// The dictionary the payload was compressed with; 0 when stored raw.
    let dictionaryID: Int64
    let rawLength: Int64
    let payload: [UInt8]
    let hash: [UInt8]

    init(
        seq: Int64, stream: String, version: Int64, type: String, time: Int64, actor: String, dictionaryID: Int64,
        rawLength: Int64, payload: [UInt8], hash: [UInt8]
    ) {
        self.seq = seq
        self.stream = stream
        self.version = version
        self.type = type
        self.time = time
        self.actor = actor
        self.dictionaryID = dictionaryID
        self.rawLength = rawLength
        self.payload = payload
        self.hash = hash
    }

    /// Reads the current row of a statement that selected `columns`.
    init(_ statement: Statement) {
        seq = statement.int64(at: 0)
        stream = statement.text(at: 1)
        version = statement.int64(at: 2)
        type = statement.text(at: 3)
        time = statement.int64(at: 4)
        actor = statement.text(at: 5)
        dictionaryID = statement.int64(at: 6)
        rawLength = statement.int64(at: 7)
        payload = statement.blob(at: 8)
        hash = statement.blob(at: 9)
    }

    func recorded(payload: [UInt8]) -> RecordedEvent {
        RecordedEvent(
            seq: seq, stream: stream, version: version, type: type, time: time, actor: actor, payload: payload,
            hash: hash)
    }
}
