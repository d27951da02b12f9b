/// An event to append: what happened, when, who did it, and its canonical JSON payload.
///
/// ```swift
/// let event = NewEvent(type: "StageStarted.v1", time: now, actor: "controller", payload: Array(json.utf8))
/// ```
public struct NewEvent: Sendable, Equatable {
    /// The event type, e.g. `"StageStarted.v1"`.
    public var type: String
    /// When it happened, in milliseconds since the Unix epoch.
    public var time: Int64
    /// Who or what caused it.
    public var actor: String
    /// The canonical JSON bytes, uncompressed; the journal compresses them.
    public var payload: [UInt8]

    public init(type: String, time: Int64, actor: String, payload: [UInt8]) {
        self.type = type
        self.time = time
        self.actor = actor
        self.payload = payload
    }
}
