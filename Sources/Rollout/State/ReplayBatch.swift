import FleetAPI

/// Events a replay hands from its reading thread to its folding thread, in seq order: most decoded by the reader,
/// and the types it leaves to the folder (`isLeftToFold`) as their payload bytes.
///
/// Reading and decoding cost more than folding, so the folder decodes a share of the events itself while the
/// reader goes on: with every event decoded by the reader, the folder waited for it a third of the time.
struct ReplayBatch {
    /// The events the reader decoded, in seq order.
    var envelopes: [Envelope] = []
    /// The events left to the folder, in seq order.
    var undecoded: [UndecodedEvent] = []
    /// The payloads of `undecoded`, one after another.
    var payloads: [UInt8] = []

    struct UndecodedEvent {
        let seq: Int64
        let type: String
        /// Milliseconds since the Unix epoch, as the journal holds it.
        let millis: Int64
        let actor: String
        let payload: Range<Int>
        /// How many of `envelopes` come before it.
        let position: Int
    }

    var count: Int { envelopes.count + undecoded.count }

    /// The types the folder decodes: a cluster's start and success, flat payloads that are more than half of a
    /// journal's events and whose decoding costs about what the folder has spare.
    static func isLeftToFold(_ type: String) -> Bool {
        // By length first: `==` compares strings that are not one instance in full, about 110 instructions an event.
        switch type.utf8.count {
        case 25: type == "ClusterUpdateSucceeded.v1"
        case 23: type == "ClusterUpdateStarted.v1"
        default: false
        }
    }

    /// Keeps an event undecoded, its payload copied out of the reader's buffer.
    mutating func leave(seq: Int64, type: String, millis: Int64, actor: String, payload: UnsafeBufferPointer<UInt8>) {
        let start = payloads.count
        payloads.append(contentsOf: payload)
        undecoded.append(
            UndecodedEvent(
                seq: seq, type: type, millis: millis, actor: actor, payload: start..<payloads.count,
                position: envelopes.count))
    }

    mutating func removeAll() {
        envelopes.removeAll(keepingCapacity: true)
        undecoded.removeAll(keepingCapacity: true)
        payloads.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with every event in seq order, decoding those left undecoded with `trees` and opening their
    /// sealed objects with `sealing`.
    ///
    /// - Throws: What decoding throws; the events before it have been handed to `body`.
    func forEach(sharing trees: JSONTreeCache, unsealing sealing: Sealing?, _ body: (Envelope) -> Void) throws {
        var next = 0
        for event in undecoded {
            while next < event.position {
                body(envelopes[next])
                next += 1
            }
            let decoded = try payloads.withUnsafeBufferPointer { bytes in
                try FleetEvent(type: event.type, payloadBytes: UnsafeBufferPointer(rebasing: bytes[event.payload]), sharing: trees)
            }
            body(
                Envelope(
                    seq: event.seq, time: Envelope.stateTime(millis: event.millis), actor: event.actor,
                    event: sealing.map { $0.unseal(decoded) } ?? decoded))
        }
        while next < envelopes.count {
            body(envelopes[next])
            next += 1
        }
    }
}
