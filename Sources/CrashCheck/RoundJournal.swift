import FleetAPI
import Journal
import Rollout

/// One event of a round's journal: the envelope the projections fold, and the time in milliseconds as the
/// journal keeps it (the envelope's is whole seconds), which the wait checks compare.
public struct JournalEntry: Sendable, Hashable {
    public var envelope: Envelope
    public var timeMillis: Int64
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
        self.entries = try records.map { JournalEntry(envelope: try Envelope($0), timeMillis: $0.time) }
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
