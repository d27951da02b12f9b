/// Events that `Journal.submit(_:)` has ordered and queued, and a way to wait until they are durable.
public struct Submission: Sendable {
    /// The submitted events, with `seq`, `version` and `hash` assigned.
    public let events: [RecordedEvent]
    private let journal: Journal?

    init(events: [RecordedEvent], journal: Journal?) {
        self.events = events
        self.journal = journal
    }

    /// Returns once the commit holding these events is durable; at once when there are none.
    ///
    /// Cancelling the waiting task does not stop the write, so this waits regardless.
    ///
    /// - Throws: The error of the commit that failed to write them.
    public func durable() async throws(JournalError) {
        guard let last = events.last, let journal else { return }
        try await journal.waitUntilDurable(through: last.seq)
    }
}
