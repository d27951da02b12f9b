import FleetAPI
import Foundation
import Journal

/// The journal's past, read-only: the projections as they stood after any seq, and the seq in force at any
/// moment. The `/as-of/` view and `flotilla get --as-of` both stand on these two functions.
///
/// ```swift
/// let seq = try History.seq(journal, at: KubeTime.parse("2025-07-22T21:29:00Z")!)
/// let state = try History.state(journal, through: seq)
/// let run = state.render(ObjectKey(.clusterStagedUpdateRun, name: "example-run"))
/// ```
///
/// - Note: Both read durable events only, through the journal's reader pool, so they are safe to call while a
///   hub is writing to the same journal.
public enum History {
    /// The projections after folding events `1...seq`: exactly what the hub served when `seq` was its last event.
    ///
    /// Starts from the newest checkpoint at or before `seq` that matches the chain, as the hub does at start-up.
    ///
    /// - Throws: `HistoryError.seqOutOfRange` when `seq` is negative or past the last durable event; errors of
    ///   the journal or of decoding an event.
    public static func state(_ journal: Journal, through seq: Int64, unsealing sealing: Sealing? = nil) throws -> HubState {
        let last = journal.durableSeq
        guard seq >= 0, seq <= last else { throw HistoryError.seqOutOfRange(seq, last: last) }
        var state = try Hub.checkpointedState(journal, through: seq, unsealing: sealing) ?? HubState()
        try forEachRecord(journal, after: state.lastSeq) { record in
            guard record.seq <= seq else { return false }
            state.evolve(try Envelope(record, unsealing: sealing))
            return true
        }
        return state
    }

    /// The seq in force at `time`: the last of the leading events recorded at or before it (the journal keeps
    /// milliseconds), or 0 when the journal's first event is later.
    public static func seq(_ journal: Journal, at time: Date) throws -> Int64 {
        let millis = Int64((time.timeIntervalSince1970 * 1000).rounded(.down))
        var found: Int64 = 0
        try forEachRecord(journal, after: 0) { record in
            guard record.time <= millis else { return false }
            found = record.seq
            return true
        }
        return found
    }

    /// Every durable event, decoded, in seq order: what the audit and snapshot queries fold over.
    public static func envelopes(_ journal: Journal, unsealing sealing: Sealing? = nil) throws -> [Envelope] {
        var envelopes: [Envelope] = []
        try forEachRecord(journal, after: 0) { record in
            envelopes.append(try Envelope(record, unsealing: sealing))
            return true
        }
        return envelopes
    }

    /// Pages through the durable events after `seq` until `body` returns false. `Journal.scan` cannot stop
    /// early, and a view of the past should not read the events after it.
    static func forEachRecord(_ journal: Journal, after seq: Int64, _ body: (RecordedEvent) throws -> Bool) throws {
        let end = journal.durableSeq
        var position = seq
        while position < end {
            let page = try journal.read(after: position, limit: 512)
            guard let last = page.last else { return }
            for record in page where record.seq <= end {
                guard try body(record) else { return }
            }
            position = last.seq
        }
    }
}

/// Why a view of the past cannot be given.
public enum HistoryError: Error, Equatable, CustomStringConvertible {
    /// The seq is negative or past the last durable event.
    case seqOutOfRange(Int64, last: Int64)

    public var description: String {
        switch self {
        case .seqOutOfRange(let seq, let last):
            "seq \(seq) is not in the journal, which holds seqs 0 to \(last)"
        }
    }
}

extension History {
    /// When the event at `seq` was recorded, in the whole seconds the projections carry; nil for seq 0 or a
    /// seq past the journal.
    public static func time(_ journal: Journal, of seq: Int64) throws -> Date? {
        guard seq > 0, let record = try journal.read(after: seq - 1, limit: 1).first, record.seq == seq else {
            return nil
        }
        return Envelope.stateTime(millis: record.time)
    }
}
