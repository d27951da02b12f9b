import Testing

@testable import Journal

/// Tampering with plain SQL, after turning off the triggers as an attacker with file or owner access could.
struct VerifyTests {
    private func journalWithTenEvents(_ place: TestPlace) async throws -> Journal {
        let journal = try place.open(seedDictionary: seedDictionary(count: 20))
        var random = SplitMix64(seed: 4)
        for stream in ["a", "b"] {
            _ = try await journal.append(
                stream: stream, expected: .noStream, events: (0..<5).map { conditionEvent(&random, index: $0) })
        }
        return journal
    }

    private func tamper(_ place: TestPlace, _ change: (OutsideSQL) throws -> Void) throws {
        let outside = try place.outside()
        try outside.allowTampering()
        try change(outside)
    }

    @Test(arguments: TestStore.all)
    func anIntactJournalVerifies(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try await journalWithTenEvents(place)
            defer { journal.close() }
            #expect(try journal.verify() == VerifyReport(eventsChecked: 10))
            #expect(try journal.verify().isIntact)
        }
    }

    @Test(arguments: TestStore.all, [0, 7, 20])
    func aFlippedPayloadByteIsNamed(store: TestStore, byte: Int) async throws {
        try await withJournal(store) { place in
            let journal = try await journalWithTenEvents(place)
            defer { journal.close() }
            try tamper(place) { outside in
                var payload = try #require(try outside.blob("SELECT payload FROM events WHERE seq = 6"))
                payload[byte] ^= 0x01
                try outside.execute("UPDATE events SET payload = ?1 WHERE seq = 6", binding: payload)
            }
            let report = try journal.verify()
            #expect(report.firstBadSeq == 6)
            #expect(report.eventsChecked == 6)
            #expect(!report.isIntact)
        }
    }

    @Test(arguments: TestStore.all)
    func aRenamedStreamIsNamed(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try await journalWithTenEvents(place)
            defer { journal.close() }
            try tamper(place) { outside in
                try outside.execute("UPDATE events SET stream = 'c' WHERE seq = 4")
            }
            #expect(
                try journal.verify()
                    == VerifyReport(
                        eventsChecked: 4, firstBadSeq: 4, problem: "stored row does not match its chain hash"))
        }
    }

    @Test(arguments: TestStore.all)
    func aChangedRawLengthOrHashIsNamed(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try await journalWithTenEvents(place)
            defer { journal.close() }
            try tamper(place) { outside in
                try outside.execute("UPDATE events SET hash = zeroblob(32) WHERE seq = 9")
                try outside.execute("UPDATE events SET raw_len = raw_len + 1 WHERE seq = 3")
            }
            let report = try journal.verify()
            #expect(report.firstBadSeq == 3)
            #expect(report.problem?.hasPrefix("payload does not decompress") == true)
        }
    }

    @Test(arguments: TestStore.all)
    func aDeletedRowIsNamedByItsSeq(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try await journalWithTenEvents(place)
            defer { journal.close() }
            try tamper(place) { outside in
                try outside.execute("DELETE FROM events WHERE seq = 5")
            }
            #expect(
                try journal.verify()
                    == VerifyReport(eventsChecked: 5, firstBadSeq: 5, problem: "seq 5 is missing"))
        }
    }

    @Test(arguments: TestStore.all)
    func aTruncatedTailIsNamed(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try await journalWithTenEvents(place)
            defer { journal.close() }
            try tamper(place) { outside in
                try outside.execute("DELETE FROM events WHERE seq > 8")
            }
            #expect(
                try journal.verify()
                    == VerifyReport(eventsChecked: 8, firstBadSeq: 9, problem: "events from seq 9 to 10 are missing"))
        }
    }

    @Test(arguments: TestStore.all)
    func aVersionGapIsNamed(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "a", expected: .noStream, events: [event()])
            try tamper(place) { outside in
                let previous = try #require(try outside.blob("SELECT hash FROM events WHERE seq = 1"))
                let hash = ChainHash.hash(
                    previous: previous, seq: 2, stream: "a", version: 3, type: "Forged.v1", time: 0, actor: "mallory",
                    payload: [])
                try outside.execute(
                    """
                    INSERT INTO events (seq, stream, version, type, time, actor, dict_id, raw_len, payload, hash\(place.isPostgres ? ", epoch" : ""))
                    VALUES (2, 'a', 3, 'Forged.v1', 0, 'mallory', 0, 0, \(place.isPostgres ? "''" : "x''"), ?1\(place.isPostgres ? ", 0" : ""))
                    """, binding: hash)
            }
            #expect(
                try journal.verify()
                    == VerifyReport(
                        eventsChecked: 2, firstBadSeq: 2, problem: "version 3 does not follow version 1 of its stream"))
        }
    }
}
