import FleetAPI

/// Events a replay hands from its reading thread to its folding thread, in seq order: most decoded by the reader,
/// and the types it leaves to the folder (`LeftToFold`) as their payload bytes.
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
        let kind: LeftToFold
        /// Milliseconds since the Unix epoch, as the journal holds it.
        let millis: Int64
        let actor: String
        let payload: Range<Int>
        /// How many of `envelopes` come before it.
        let position: Int
    }

    /// The types the folder decodes: a cluster's start and success, flat payloads that are more than half of a
    /// journal's events and whose decoding costs about what the folder has spare.
    enum LeftToFold {
        case clusterUpdateStarted
        case clusterUpdateSucceeded

        /// The kind of an event of `type`; nil for a type the reader decodes.
        init?(type: String) {
            // By length first: `==` compares strings that are not one instance in full, about 110 instructions an
            // event.
            switch type.utf8.count {
            case 25 where type == Self.clusterUpdateSucceeded.type: self = .clusterUpdateSucceeded
            case 23 where type == Self.clusterUpdateStarted.type: self = .clusterUpdateStarted
            default: return nil
            }
        }

        var type: String {
            switch self {
            case .clusterUpdateStarted: "ClusterUpdateStarted.v1"
            case .clusterUpdateSucceeded: "ClusterUpdateSucceeded.v1"
            }
        }

        /// The event of `payload`, read by its type's direct reader without looking the reader up.
        func event(_ payload: UnsafeBufferPointer<UInt8>, sharing trees: JSONTreeCache) throws -> FleetEvent {
            let read = switch self {
            case .clusterUpdateStarted: FleetEvent.readClusterUpdateStarted
            case .clusterUpdateSucceeded: FleetEvent.readClusterUpdateSucceeded
            }
            return try FleetEvent(type: type, payloadBytes: payload, sharing: trees, reading: read)
        }
    }

    var count: Int { envelopes.count + undecoded.count }

    /// Keeps an event undecoded, its payload copied out of the reader's buffer.
    mutating func leave(seq: Int64, kind: LeftToFold, millis: Int64, actor: String, payload: UnsafeBufferPointer<UInt8>) {
        let start = payloads.count
        payloads.append(contentsOf: payload)
        undecoded.append(
            UndecodedEvent(
                seq: seq, kind: kind, millis: millis, actor: actor, payload: start..<payloads.count,
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
        // Through buffer pointers, which lend each element to `body`: an array's subscript copied every envelope
        // and undecoded event out and destroyed the copy after.
        try envelopes.withUnsafeBufferPointer { envelopes in
            try undecoded.withUnsafeBufferPointer { undecoded in
                try payloads.withUnsafeBufferPointer { payloads in
                    var next = 0
                    for index in undecoded.indices {
                        while next < undecoded[index].position {
                            body(envelopes[next])
                            next += 1
                        }
                        let decoded = try undecoded[index].kind.event(
                            UnsafeBufferPointer(rebasing: payloads[undecoded[index].payload]), sharing: trees)
                        body(
                            Envelope(
                                seq: undecoded[index].seq, time: Envelope.stateTime(millis: undecoded[index].millis),
                                actor: undecoded[index].actor, event: sealing.map { $0.unseal(decoded) } ?? decoded))
                    }
                    while next < envelopes.count {
                        body(envelopes[next])
                        next += 1
                    }
                }
            }
        }
    }
}
