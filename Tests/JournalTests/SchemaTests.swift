import Foundation
import Testing

@testable import Journal

struct SchemaTests {
    /// The DDL the journal applies is byte for byte `schema/journal.sql`, embedded at build time.
    @Test func theEmbeddedSchemaIsTheSchemaFile() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schema/journal.sql")
        #expect(Schema.sql == (try String(contentsOf: file, encoding: .utf8)))
    }

    @Test func aNewFileHasTheSchemaTablesTriggersAndSettings() async throws {
        try await withJournalFile { path in
            let journal = try Journal(path: path)
            defer { journal.close() }
            let outside = try outsideConnection(path)
            let names = try outside.prepare(
                "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            var objects: [String] = []
            while try names.step() {
                objects.append("\(names.text(at: 0)) \(names.text(at: 1))")
            }
            #expect(
                objects == [
                    "table checkpoints", "table dictionaries", "table events", "table meta",
                    "trigger dictionaries_insert_at_end", "trigger dictionaries_no_delete",
                    "trigger dictionaries_no_update",
                    "trigger events_insert_next", "trigger events_no_delete", "trigger events_no_update",
                ])
            let mode = try outside.prepare("PRAGMA journal_mode")
            #expect(try mode.step())
            #expect(mode.text(at: 0) == "wal")
            #expect(try outside.int64("SELECT value FROM meta WHERE key = 'schema_version'") == Schema.version)
        }
    }
}
