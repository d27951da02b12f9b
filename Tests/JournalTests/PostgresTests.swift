import Foundation
import Testing

@testable import Journal

/// What only the PostgreSQL store has: its schema file, its triggers in PostgreSQL's words, the leader epoch every
/// insert is checked against, and the messages for a URL or server that is not usable.
struct PostgresTests {
    /// The DDL the PostgreSQL store applies is byte for byte `schema/journal-postgres.sql`.
    @Test func theEmbeddedSchemaIsTheSchemaFile() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schema/journal-postgres.sql")
        #expect(PostgresStore.schemaSQL == (try String(contentsOf: file, encoding: .utf8)))
    }

    @Test(arguments: TestStore.postgres)
    func aNewDatabaseHasTheSchemaTablesAndTriggers(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let outside = try place.outside()
            #expect(try outside.texts("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
                == ["checkpoints", "dictionaries", "events", "leader", "meta"])
            #expect(
                try outside.texts(
                    """
                    SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY 1
                    """)
                    == [
                        "dictionaries_insert_next", "dictionaries_no_change", "dictionaries_no_truncate",
                        "events_insert_next", "events_no_change", "events_no_truncate", "events_notify",
                    ])
            #expect(try outside.int64("SELECT value FROM meta WHERE key = 'schema_version'") == PostgresStore.schemaVersion)
            #expect(try outside.int64("SELECT epoch FROM leader") == 0)
        }
    }

    @Test(arguments: TestStore.postgres, [
        "UPDATE events SET actor = 'mallory' WHERE seq = 1",
        "DELETE FROM events WHERE seq = 2",
        "TRUNCATE events",
        "UPDATE dictionaries SET bytes = '\\x00'",
        "TRUNCATE dictionaries",
    ])
    func updatesDeletesAndTruncatesAreRefused(store: TestStore, sql: String) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .noStream, events: [event(), event()])
            let table = sql.contains("dictionaries") ? "dictionaries" : "events"
            #expect(throws: PostgresError(sqlState: "23001", message: "\(table) are append-only")) {
                try PostgresConnection(url: url(place)).execute(sql)
            }
            #expect(try journal.verify() == VerifyReport(eventsChecked: 2))
        }
    }

    /// Part of the fencing of several hubs: an insert must carry the leader's epoch, so once a newer leader raises
    /// it, an older writer's commits fail and it takes no more writes.
    @Test(arguments: TestStore.postgres)
    func aWriterOfAnOlderEpochIsRefused(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .noStream, events: [event()])
            try place.outside().execute("UPDATE leader SET epoch = 1, holder = 'hub-b'")
            await #expect(throws: JournalError.deposed(epoch: 0, leaderEpoch: 1)) {
                try await journal.append(stream: "s", expected: .exact(1), events: [event()])
            }
            #expect(try journal.read(after: 0, limit: 10).count == 1)
        }
    }

    /// A database made before the lease columns and the commit notifications gets them when a writer opens it.
    @Test(arguments: TestStore.postgres)
    func anOlderDatabaseGetsTheLeaseColumnsAndTheNotifyTrigger(store: TestStore) async throws {
        try await withJournal(store) { place in
            try place.open().close()
            try place.outside().execute(
                "ALTER TABLE leader DROP COLUMN address, DROP COLUMN expires; DROP TRIGGER events_notify ON events")
            let journal = try place.open()
            defer { journal.close() }
            #expect(try journal.campaign(holder: "hub-a", address: "http://a", lease: .seconds(30)).epoch == 1)
            #expect(try place.outside().texts("SELECT address FROM leader") == ["http://a"])
            #expect(
                try place.outside().texts(
                    """
                    SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    WHERE t.tgname = 'events_notify' AND c.relnamespace = current_schema()::regnamespace
                    """) == ["events_notify"])
        }
    }

    @Test(arguments: [
        ("postgres://flotilla@/fleet", "invalid journal location: postgres://flotilla@/fleet names no host (expected postgres://USER@HOST:PORT/DB)"),
        ("postgres://flotilla@db:5432", "invalid journal location: postgres://flotilla@db:5432 names no database (expected postgres://USER@HOST:PORT/DB)"),
        ("postgresql://flotilla:secret@db:99999/fleet", "invalid journal location: postgresql://flotilla:***@db:99999/fleet has port '99999', not a number from 1 to 65535"),
    ])
    func aMalformedURLIsNamed(text: String, message: String) {
        #expect(throws: JournalError.invalidLocation(String(message.dropFirst("invalid journal location: ".count)))) {
            try JournalLocation(parsing: text)
        }
        #expect((try? JournalLocation(parsing: text)) == nil)
        #expect(JournalError.invalidLocation(String(message.dropFirst("invalid journal location: ".count))).description == message)
    }

    @Test func urlsAndPathsAreToldApart() throws {
        #expect(try JournalLocation(parsing: "fleet.journal") == .file("fleet.journal"))
        #expect(try JournalLocation(parsing: "postgres://u@h:5/d") == .postgres("postgres://u@h:5/d"))
        #expect(try JournalLocation(parsing: "postgresql://u:pw@[::1]:5432/d?sslmode=disable").description
            == "postgresql://u:***@[::1]:5432/d?sslmode=disable")
    }

    @Test func aServerThatIsNotThereIsNamed() throws {
        #expect {
            try Journal(location: .postgres("postgres://flotilla@127.0.0.1:1/fleet"))
        } throws: { error in
            guard case .postgres(sqlState: "", let message) = error as? JournalError else { return false }
            return message.hasPrefix("cannot connect to postgres://flotilla@127.0.0.1:1/fleet: connection to server at \"127.0.0.1\", port 1 failed")
        }
    }

    @Test(arguments: TestStore.postgres)
    func aDatabaseOfAnotherSchemaVersionIsRefused(store: TestStore) async throws {
        try await withJournal(store) { place in
            try place.open().close()
            try place.outside().execute("UPDATE meta SET value = 2 WHERE key = 'schema_version'")
            #expect(throws: JournalError.unsupportedSchema(version: 2)) { try place.open() }
            #expect(throws: JournalError.unsupportedSchema(version: 2)) { try place.open(readOnly: true) }
        }
    }

    private func url(_ place: TestPlace) -> String {
        guard case .postgres(let url) = place.location else { preconditionFailure("a PostgreSQL place") }
        return url
    }

    /// A session the server drops (a restart, a failover) fails the query that finds it out; it is then opened
    /// anew with the settings it had, as the journal's writer does before each use.
    @Test(arguments: TestStore.postgres)
    func aLostSessionIsOpenedAgainWithItsSettings(store: TestStore) async throws {
        try await withJournal(store) { place in
            guard case .postgres(let url) = place.location else { return }
            let session = try PostgresConnection(url: url)
            try session.set("application_name = 'flotilla-reopened'")
            let pid = try #require(try session.int64("SELECT pg_backend_pid()"))
            _ = try PostgresConnection(url: url).int64("SELECT count(*) FROM pg_stat_activity WHERE pg_terminate_backend(\(pid))")
            #expect(throws: PostgresError.self) { try session.int64("SELECT 1") }
            #expect(!session.isOpen)
            try session.reopenIfLost()
            #expect(session.isOpen)
            #expect(try session.int64("SELECT pg_backend_pid()") != pid)
            let name = try session.query("SHOW application_name")
            defer { name.clear() }
            #expect(name.text(row: 0, column: 0) == "flotilla-reopened")
        }
    }
}
