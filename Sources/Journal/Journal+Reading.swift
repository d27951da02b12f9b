extension Journal {
    /// Events per page when `scan` streams the log.
    private static let scanPageSize = 512

    /// Up to `limit` events after `seq`, in seq order; committed (durable) events only.
    ///
    /// - Throws: `JournalError.corrupt` when a row does not decode, `.sqlite`, `.closed`.
    public func read(after seq: Int64, limit: Int) throws(JournalError) -> [RecordedEvent] {
        try read(after: seq, through: .max, limit: limit)
    }

    /// Calls `body` with every durable event after `seq`, in seq order, without holding them all in memory.
    ///
    /// Events are read in pages, so no read transaction stays open while `body` runs and `body` may use the journal.
    /// The scan stops at the last event that was durable when it began.
    ///
    /// ```swift
    /// var state = Projection()
    /// try journal.scan(after: checkpoint.seq) { event in state.apply(event) }
    /// ```
    ///
    /// - Throws: What `body` throws, unchanged, or a `JournalError` from reading.
    public func scan(after seq: Int64, _ body: (RecordedEvent) throws -> Void) throws {
        let end = durableSeq
        var position = seq
        while position < end {
            let page = try read(after: position, through: end, limit: Self.scanPageSize)
            guard let last = page.last else { return }
            for event in page {
                try body(event)
            }
            position = last.seq
        }
    }

    /// Every durable event of `stream`, in version order.
    public func readStream(_ stream: String) throws(JournalError) -> [RecordedEvent] {
        try store.events(of: stream)
    }

    /// Counts and sizes of the journal's contents, from one consistent snapshot.
    public func stats() throws(JournalError) -> JournalStats {
        try store.stats()
    }

    /// Events after `seq` up to `end`, at most `limit` of them.
    func read(after seq: Int64, through end: Int64, limit: Int) throws(JournalError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try store.events(after: seq, through: end, limit: limit)
    }
}
