import Testing

@testable import Journal

/// Tampering with plain SQL, after dropping the triggers as an attacker with file access could.
struct VerifyTests {
    private func journalWithTenEvents(_ path: String) async throws -> Journal {
        let journal = try Journal(path: path, seedDictionary: seedDictionary(count: 20))
        var random = SplitMix64(seed: 4)
        for stream in ["a", "b"] {
            _ = try await journal.append(
                stream: stream, expected: .noStream, events: (0..<5).map { conditionEvent(&random, index: $0) })
        }
        return journal
    }

    private func tamper(_ path: String, _ change: (Connection) throws -> Void) throws {
        let outside = try outsideConnection(path)
        try outside.execute(
            """
            DROP TRIGGER events_no_update;
            DROP TRIGGER events_no_delete;
            DROP TRIGGER events_insert_next;
            """)
        try change(outside)
    }

    @Test func anIntactJournalVerifies() async throws {
        try await withJournalFile { path in
            let journal = try await journalWithTenEvents(path)
            defer { journal.close() }
            #expect(try journal.verify() == VerifyReport(eventsChecked: 10))
            #expect(try journal.verify().isIntact)
        }
    }

    @Test(arguments: [0, 7, 20])
    func aFlippedPayloadByteIsNamed(byte: Int) async throws {
        try await withJournalFile { path in
            let journal = try await journalWithTenEvents(path)
            defer { journal.close() }
            try tamper(path) { outside in
                let select = try outside.prepare("SELECT payload FROM events WHERE seq = 6")
                #expect(try select.step())
                var payload = select.blob(at: 0)
                payload[byte] ^= 0x01
                let update = try outside.prepare("UPDATE events SET payload = ?1 WHERE seq = 6")
                try update.bind(payload, at: 1)
                _ = try update.step()
            }
            let report = try journal.verify()
            #expect(report.firstBadSeq == 6)
            #expect(report.eventsChecked == 6)
            #expect(!report.isIntact)
        }
    }

    @Test func aRenamedStreamIsNamed() async throws {
        try await withJournalFile { path in
            let journal = try await journalWithTenEvents(path)
            defer { journal.close() }
            try tamper(path) { outside in
                try outside.execute("UPDATE events SET stream = 'c' WHERE seq = 4")
            }
            #expect(
                try journal.verify()
                    == VerifyReport(
                        eventsChecked: 4, firstBadSeq: 4, problem: "stored row does not match its chain hash"))
        }
    }

    @Test func aChangedRawLengthOrHashIsNamed() async throws {
        try await withJournalFile { path in
            let journal = try await journalWithTenEvents(path)
            defer { journal.close() }
            try tamper(path) { outside in
                try outside.execute("UPDATE events SET hash = zeroblob(32) WHERE seq = 9")
                try outside.execute("UPDATE events SET raw_len = raw_len + 1 WHERE seq = 3")
            }
            let report = try journal.verify()
            #expect(report.firstBadSeq == 3)
            #expect(report.problem?.hasPrefix("payload does not decompress") == true)
        }
    }

    @Test func aDeletedRowIsNamedByItsSeq() async throws {
        try await withJournalFile { path in
            let journal = try await journalWithTenEvents(path)
            defer { journal.close() }
            try tamper(path) { outside in
                try outside.execute("DELETE FROM events WHERE seq = 5")
            }
            #expect(
                try journal.verify()
                    == VerifyReport(eventsChecked: 5, firstBadSeq: 5, problem: "seq 5 is missing"))
        }
    }

    @Test func aTruncatedTailIsNamed() async throws {
        try await withJournalFile { path in
            let journal = try await journalWithTenEvents(path)
            defer { journal.close() }
            try tamper(path) { outside in
                try outside.execute("DELETE FROM events WHERE seq > 8")
            }
            #expect(
                try journal.verify()
                    == VerifyReport(eventsChecked: 8, firstBadSeq: 9, problem: "events from seq 9 to 10 are missing"))
        }
    }

    @Test func aVersionGapIsNamed() async throws {
        try await withJournalFile { path in
            let journal = try Journal(path: path)
            defer { journal.close() }
            _ = try await journal.append(stream: "a", expected: .noStream, events: [event()])
            try tamper(path) { outside in
                let previous = try outside.prepare("SELECT hash FROM events WHERE seq = 1")
                #expect(try previous.step())
                let hash = ChainHash.hash(
                    previous: previous.blob(at: 0), seq: 2, stream: "a", version: 3, type: "Forged.v1", time: 0,
                    actor: "mallory", payload: [])
                let insert = try outside.prepare(
                    "INSERT INTO events VALUES (2, 'a', 3, 'Forged.v1', 0, 'mallory', 0, 0, x'', ?1)")
                try insert.bind(hash, at: 1)
                _ = try insert.step()
            }
            #expect(
                try journal.verify()
                    == VerifyReport(
                        eventsChecked: 2, firstBadSeq: 2, problem: "version 3 does not follow version 1 of its stream"))
        }
    }
}
