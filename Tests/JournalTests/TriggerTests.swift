import Testing

@testable import Journal

/// Append-only is enforced by the file itself, for any connection that writes plain SQL.
struct TriggerTests {
    private func journalWithEvents(_ path: String) async throws -> Journal {
        let journal = try Journal(path: path)
        _ = try await journal.append(stream: "s", expected: .noStream, events: [event(), event()])
        return journal
    }

    private func rejection(_ sql: String, on path: String) throws -> SQLiteError? {
        let outside = try outsideConnection(path)
        do {
            try outside.execute(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        "UPDATE events SET actor = 'mallory' WHERE seq = 1",
        "UPDATE events SET payload = x'00'",
        "DELETE FROM events",
        "DELETE FROM events WHERE seq = 2",
    ])
    func updatesAndDeletesOfEventsAreRefused(sql: String) async throws {
        try await withJournalFile { path in
            let journal = try await journalWithEvents(path)
            defer { journal.close() }

            let error = try #require(try rejection(sql, on: path))
            #expect(error.code == .constraintTrigger)
            #expect(SQLiteError.ResultCode.constraint ~= error.code)
            #expect(error.message == "events are append-only")
            #expect(error.description == "SQLite error 1811: events are append-only - while executing `\(sql)`")
            #expect(try journal.read(after: 0, limit: 10).map(\.actor) == ["tests", "tests"])
            #expect(try journal.verify().isIntact)
        }
    }

    @Test func insertOrReplaceCannotOverwriteAnEvent() async throws {
        try await withJournalFile { path in
            let journal = try await journalWithEvents(path)
            defer { journal.close() }

            let overwrite = try #require(
                try rejection(
                    "INSERT OR REPLACE INTO events VALUES (1, 's', 1, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))",
                    on: path))
            #expect(overwrite.message == "events must be appended at the next seq")
            let reuse = try #require(
                try rejection(
                    "INSERT OR REPLACE INTO events VALUES (3, 's', 2, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))",
                    on: path))
            #expect(reuse.message == "events must be appended at the next stream version")
            #expect(try journal.verify().isIntact)
        }
    }

    @Test func dictionariesAreAppendOnly() async throws {
        try await withJournalFile { path in
            let journal = try await journalWithEvents(path)
            defer { journal.close() }

            #expect(
                try rejection("UPDATE dictionaries SET bytes = x'00'", on: path)?.message
                    == "dictionaries are append-only")
            #expect(try rejection("DELETE FROM dictionaries", on: path)?.message == "dictionaries are append-only")
            #expect(
                try rejection("INSERT OR REPLACE INTO dictionaries VALUES (1, 1, 0, x'')", on: path)?.message
                    == "dictionaries must be appended at the next id")
        }
    }

    /// The one-statement insert check refuses every row that does not extend the log, and takes the one that does.
    @Test(arguments: [
        ("INSERT INTO events VALUES (4, 't', 1, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))", "events must be appended at the next seq"),
        ("INSERT INTO events VALUES (2, 't', 1, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))", "events must be appended at the next seq"),
        ("INSERT INTO events VALUES (NULL, 't', 1, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))", "events must be appended at the next seq"),
        ("INSERT INTO events VALUES (3, 's', 4, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))", "events must be appended at the next stream version"),
        ("INSERT INTO events VALUES (3, 't', 2, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))", "events must be appended at the next stream version"),
        ("INSERT OR IGNORE INTO events VALUES (3, 's', 1, 'T', 0, 'mallory', 0, 0, x'', zeroblob(32))", "events must be appended at the next stream version"),
    ])
    func aRowThatDoesNotExtendTheLogIsRefused(sql: String, message: String) async throws {
        try await withJournalFile { path in
            let journal = try await journalWithEvents(path)
            defer { journal.close() }

            let error = try #require(try rejection(sql, on: path))
            #expect(error.code == .constraintTrigger)
            #expect(error.message == message)
            #expect(try journal.read(after: 0, limit: 10).map(\.seq) == [1, 2])
            #expect(try rejection("INSERT INTO events VALUES (3, 't', 1, 'T', 0, 'x', 0, 0, x'', zeroblob(32))", on: path) == nil)
            #expect(try rejection("INSERT INTO events VALUES (4, 's', 3, 'T', 0, 'x', 0, 0, x'', zeroblob(32))", on: path) == nil)
        }
    }

    /// A file made with the earlier two-statement trigger gets the one-statement one when opened.
    @Test func aFileWithTheEarlierInsertTriggerGetsTheCurrentOne() async throws {
        try await withJournalFile { path in
            try await journalWithEvents(path).close()
            let outside = try outsideConnection(path)
            try outside.execute("""
                DROP TRIGGER events_insert_next;
                CREATE TRIGGER events_insert_at_end BEFORE INSERT ON events
                BEGIN
                    SELECT RAISE(ABORT, 'events must be appended at the next seq')
                    WHERE NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM events);
                END;
                """)

            let journal = try Journal(path: path)
            defer { journal.close() }
            let triggers = try outside.prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'events' ORDER BY name")
            var names: [String] = []
            while try triggers.step() { names.append(triggers.text(at: 0)) }
            #expect(names == ["events_insert_next", "events_no_delete", "events_no_update"])
            _ = try await journal.append(stream: "s", expected: .exact(2), events: [event()])
            #expect(try journal.verify().isIntact)
        }
    }

    /// The journal's writer runs without the triggers and checks each batch itself, refusing what the insert trigger
    /// refuses, in its words.
    @Test func theWritersOwnCheckRefusesWhatTheTriggerRefuses() async throws {
        try await withJournalFile { path in
            try await journalWithEvents(path).close()
            let connection = try outsideConnection(path)
            func recorded(_ seq: Int64, _ stream: String, _ version: Int64) -> RecordedEvent {
                RecordedEvent(
                    seq: seq, stream: stream, version: version, type: "T", time: 0, actor: "x", payload: [],
                    hash: ChainHash.genesis)
            }
            func refusal(_ events: [RecordedEvent], known: [String: Int64] = [:]) -> String? {
                let checked = Result { () throws(SQLiteError) in
                    try SQLiteWriter.checkExtendsLog(events, after: 2, known: known, in: connection)
                }
                guard case .failure(let error) = checked else { return nil }
                #expect(error.code == .constraintTrigger)
                return error.message
            }
            let nextSeq = "events must be appended at the next seq"
            let nextVersion = "events must be appended at the next stream version"
            #expect(refusal([recorded(3, "s", 3), recorded(4, "t", 1), recorded(5, "s", 4)]) == nil)
            #expect(refusal([recorded(2, "s", 3)]) == nextSeq)
            #expect(refusal([recorded(4, "s", 3)]) == nextSeq)
            #expect(refusal([recorded(3, "s", 3), recorded(5, "s", 4)]) == nextSeq)
            #expect(refusal([recorded(3, "s", 2)]) == nextVersion)
            #expect(refusal([recorded(3, "s", 4)]) == nextVersion)
            #expect(refusal([recorded(3, "t", 2)]) == nextVersion)
            #expect(refusal([recorded(3, "s", 3), recorded(4, "s", 3)]) == nextVersion)
            #expect(refusal([recorded(3, "t", 1), recorded(4, "s", 3), recorded(5, "t", 3)]) == nextVersion)
            #expect(refusal([recorded(3, "s", 5)], known: ["s": 4]) == nil)
            #expect(refusal([recorded(3, "s", 3)], known: ["s": 4]) == nextVersion)
            let batch = [recorded(3, "s", 3), recorded(4, "t", 1), recorded(5, "s", 4)]
            #expect(try SQLiteWriter.checkExtendsLog(batch, after: 2, known: [:], in: connection) == ["s": 4, "t": 1])
        }
    }

    /// Another connection's insert that extends the log is taken, so the journal's own next batch no longer extends
    /// it: its writer's insert is refused, in the trigger's words, and the file stays intact, whether the other row
    /// went to another stream or took the batch's stream version too.
    @Test(arguments: [
        ("INSERT INTO events VALUES (3, 't', 1, 'T', 0, 'x', 0, 0, x'', zeroblob(32))", "events must be appended at the next seq"),
        ("INSERT INTO events VALUES (3, 's', 3, 'T', 0, 'x', 0, 0, x'', zeroblob(32))", "events must be appended at the next seq"),
    ])
    func theWriterRefusesABatchThatNoLongerExtendsTheLog(sql: String, message: String) async throws {
        try await withJournalFile { path in
            let journal = try await journalWithEvents(path)
            defer { journal.close() }
            #expect(try rejection(sql, on: path) == nil)
            await #expect(throws: JournalError.sqlite(code: 19, message: message)) {
                _ = try await journal.append(stream: "s", expected: .exact(2), events: [event()])
            }
            #expect(try outsideConnection(path).int64("SELECT count(*) FROM events") == 3)
        }
    }
}
