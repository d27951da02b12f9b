/// An event as the journal holds it: its place in the log, its place in its stream, and its chain hash.
public struct RecordedEvent: Sendable, Equatable {
    /// The global order: 1-based and gapless across all streams.
    public let seq: Int64
    /// The stream (aggregate) the event belongs to.
    public let stream: String
    /// The position within `stream`: 1-based and gapless.
    public let version: Int64
    public let type: String
    /// When it happened, in milliseconds since the Unix epoch.
    public let time: Int64
    public let actor: String
    /// The canonical JSON bytes, uncompressed.
    public let payload: [UInt8]
    /// The 32-byte SHA-256 chain hash over the previous event's hash and this event's content.
    public let hash: [UInt8]

    /// Makes an event as the journal records it; tests of projections use it to feed events by hand.
    public init(
        seq: Int64, stream: String, version: Int64, type: String, time: Int64, actor: String, payload: [UInt8],
        hash: [UInt8]
    ) {
        self.seq = seq
        self.stream = stream
        self.version = version
        self.type = type
        self.time = time
        self.actor = actor
        self.payload = payload
        self.hash = hash
    }
}
