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
}
