import Journal

/// Reads the hub's journal beside it, as the hub writes it, to tell what each request appended.
struct JournalWatch {
    let path: String
    /// The recorded actor of the fuzzer's own requests starts with this: the admin, or the admin "(as NAME)".
    let actor: String
    private var journal: Journal
    /// The last seq already looked at.
    private(set) var seen: Int64 = 0

    init(path: String, actor: String) throws {
        self.path = path
        self.actor = actor
        journal = try Journal(path: path, readOnly: true)
        _ = try appended()
    }

    /// The events recorded since the last call.
    mutating func appended() throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        while true {
            let page: [RecordedEvent]
            do {
                page = try journal.read(after: seen, limit: 1000)
            } catch {
                // The hub may have started a new compression dictionary since this reader opened: open again.
                journal.close()
                journal = try Journal(path: path, readOnly: true)
                page = try journal.read(after: seen, limit: 1000)
            }
            guard let last = page.last else { return events }
            events += page
            seen = last.seq
        }
    }

    /// What a refused request appended in the fuzzer's name: it must be nothing. Controllers and simulated
    /// members record under their own names, in the background, and are not counted.
    mutating func appendedByFuzzer() throws -> [RecordedEvent] {
        try appended().filter { $0.actor.hasPrefix(actor) }
    }

    func close() { journal.close() }
}
