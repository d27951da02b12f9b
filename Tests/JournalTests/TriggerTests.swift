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
}
