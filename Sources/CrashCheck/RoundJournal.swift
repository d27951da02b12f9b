import FleetAPI
import Journal
import Rollout

/// One journal event as the checks read it: its seq, the time the journal holds for it (milliseconds, not the
/// whole seconds the projections show), who recorded it, and the fleet event it holds.
public struct JournalEntry: Sendable, Hashable {
    public var seq: Int64
    public var timeMillis: Int64
    public var actor: String
    public var event: FleetEvent

    public init(seq: Int64, timeMillis: Int64, actor: String, event: FleetEvent) {
        self.seq = seq
        self.timeMillis = timeMillis
        self.actor = actor
        self.event = event
    }
}

/// Every event of a round's journal, decoded: what the journal checks read.
///
/// ```swift
/// let journal = try RoundJournal.load(path: "round.journal")   // only once the server is stopped
/// let counts = JournalChecks.memberApplications(journal.entries)
/// ```
public struct RoundJournal: Sendable {
    /// The events as recorded, for replaying the projections.
    public let records: [RecordedEvent]
    /// The same events decoded.
    public let entries: [JournalEntry]

    public init(records: [RecordedEvent]) throws {
        self.records = records
        self.entries = try records.map { record in
            JournalEntry(
                seq: record.seq, timeMillis: record.time, actor: record.actor,
                event: try FleetEvent(type: record.type, payload: try JSON.parse(record.payload)))
        }
    }

    /// Reads the journal file at `path`.
    ///
    /// - Warning: Opening a journal takes the writer's role, so open it only once no server has it open.
    public static func load(path: String) throws -> RoundJournal {
        let journal = try Journal(path: path)
        defer { journal.close() }
        var records: [RecordedEvent] = []
        try journal.scan(after: 0) { records.append($0) }
        return try RoundJournal(records: records)
    }
}
