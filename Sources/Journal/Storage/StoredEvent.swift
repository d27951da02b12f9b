/// One `events` row as stored: the payload still compressed.
struct StoredEvent {
    /// The columns every store selects to read a row, in this order.
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

    func recorded(payload: [UInt8]) -> RecordedEvent {
        RecordedEvent(
            seq: seq, stream: stream, version: version, type: type, time: time, actor: actor, payload: payload,
            hash: hash)
    }
}
