import Testing

@testable import Journal

struct AppendTests {
    @Test(arguments: TestStore.all)
    func appendedEventsReadBackExactly(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let recorded = try await journal.append(
                stream: "placement/web", expected: .noStream,
                events: [event("Created.v1", payload: #"{"a":1}"#), event("SpecUpdated.v1", payload: #"{"a":2}"#)])

            #expect(recorded.map(\.seq) == [1, 2])
            #expect(recorded.map(\.version) == [1, 2])
            #expect(recorded.map(\.type) == ["Created.v1", "SpecUpdated.v1"])
            #expect(recorded.allSatisfy { $0.hash.count == 32 })
            #expect(recorded[0].hash != recorded[1].hash)
            #expect(try journal.read(after: 0, limit: 10) == recorded)
            #expect(try journal.read(after: 1, limit: 10) == [recorded[1]])
            #expect(try journal.read(after: 0, limit: 1) == [recorded[0]])
            #expect(try journal.readStream("placement/web") == recorded)
            #expect(try journal.readStream("placement/none") == [])
            #expect(journal.lastSeq == 2)
            #expect(try journal.streamVersion("placement/web") == 2)
            #expect(try journal.streamVersion("placement/none") == 0)
        }
    }

    @Test(arguments: TestStore.all)
    func chainHashCoversPreviousHashAndContent(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let recorded = try await journal.append(
                stream: "s", expected: .any, events: [event(payload: "{}"), event(payload: "{}")])

            let first = ChainHash.hash(
                previous: ChainHash.genesis, seq: 1, stream: "s", version: 1, type: "Tested.v1",
                time: 1_764_168_667_000, actor: "tests", payload: Array("{}".utf8))
            #expect(recorded[0].hash == first)
            #expect(recorded[1].hash == ChainHash.hash(of: recorded[1], previous: first))
        }
    }

    @Test(arguments: TestStore.all)
    func multiStreamAppendIsAllOrNothing(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "b", expected: .noStream, events: [event()])

            let writes = [
                StreamWrite(stream: "a", expected: .noStream, events: [event(), event()]),
                StreamWrite(stream: "b", expected: .exact(5), events: [event()]),
            ]
            await #expect(throws: JournalError.versionConflict(stream: "b", expected: .exact(5), actual: 1)) {
                try await journal.append(writes)
            }
            #expect(journal.lastSeq == 1)
            #expect(try journal.streamVersion("a") == 0)

            let recorded = try await journal.append([
                StreamWrite(stream: "a", expected: .noStream, events: [event(), event()]),
                StreamWrite(stream: "b", expected: .exact(1), events: [event()]),
                StreamWrite(stream: "a", expected: .exact(2), events: [event()]),
            ])
            #expect(recorded.map(\.seq) == [2, 3, 4, 5])
            #expect(recorded.map(\.stream) == ["a", "a", "b", "a"])
            #expect(recorded.map(\.version) == [1, 2, 2, 3])
            #expect(try journal.read(after: 0, limit: 100).count == 5)
        }
    }

    @Test(arguments: TestStore.all)
    func versionConflictsWriteNothing(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "run", expected: .noStream, events: [event(), event()])

            await #expect(throws: JournalError.versionConflict(stream: "run", expected: .exact(1), actual: 2)) {
                try await journal.append(stream: "run", expected: .exact(1), events: [event()])
            }
            await #expect(throws: JournalError.versionConflict(stream: "run", expected: .noStream, actual: 2)) {
                try await journal.append(stream: "run", expected: .noStream, events: [event()])
            }
            await #expect(throws: JournalError.versionConflict(stream: "run", expected: .exact(0), actual: 2)) {
                try await journal.append(stream: "run", expected: .exact(0), events: [event()])
            }
            #expect(try journal.read(after: 0, limit: 100).map(\.seq) == [1, 2])
            #expect(journal.lastSeq == 2)
            #expect(try journal.verify().isIntact)
        }
    }

    @Test(arguments: TestStore.all)
    func submitChecksAgainstEventsNotYetDurable(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let first = try journal.submit([StreamWrite(stream: "s", expected: .noStream, events: [event()])])
            let second = try journal.submit([StreamWrite(stream: "s", expected: .exact(1), events: [event()])])
            #expect(throws: JournalError.versionConflict(stream: "s", expected: .noStream, actual: 2)) {
                try journal.submit([StreamWrite(stream: "s", expected: .noStream, events: [event()])])
            }
            #expect(try journal.streamVersion("s") == 2)
            #expect(second.events.map(\.seq) == [2])

            try await second.durable()
            try await first.durable()
            #expect(journal.durableSeq == 2)
            #expect(try journal.readStream("s").map(\.version) == [1, 2])
        }
    }

    @Test(arguments: TestStore.all)
    func emptyAppendsAssignNothing(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            #expect(try await journal.append([]) == [])
            #expect(try await journal.append(stream: "s", expected: .noStream, events: []) == [])
            #expect(journal.lastSeq == 0)
            #expect(journal.commitCount == 0)
        }
    }

    @Test func expectedVersionZeroMeansNoStream() {
        #expect(ExpectedVersion.exact(0) == .noStream)
        #expect(ExpectedVersion.noStream == .exact(0))
        #expect(ExpectedVersion.exact(1) != .noStream)
        #expect(ExpectedVersion.any != .noStream)
    }

    @Test(arguments: TestStore.all)
    func closedJournalRefusesWork(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            let submission = try journal.submit([StreamWrite(stream: "s", expected: .any, events: [event()])])
            journal.close()
            try await submission.durable()
            journal.close()

            #expect(throws: JournalError.closed) { try journal.submit([]) }
            #expect(throws: JournalError.closed) { try journal.read(after: 0, limit: 1) }
            #expect(throws: JournalError.closed) { try journal.streamVersion("s") }
            await #expect(throws: JournalError.closed) { try await journal.saveCheckpoint(seq: 1, image: []) }

            let reopened = try place.open()
            defer { reopened.close() }
            #expect(try reopened.read(after: 0, limit: 10).count == 1)
        }
    }

    @Test(arguments: TestStore.all)
    func aSecondWriterBreaksTheJournalAndItRefusesFurtherWrites(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .any, events: [event()])
            try place.outside().execute(
                """
                INSERT INTO events (seq, stream, version, type, time, actor, dict_id, raw_len, payload, hash\(place.isPostgres ? ", epoch" : ""))
                VALUES (2, 'other', 1, 'T', 0, 'intruder', 0, 0, x'', zeroblob(32)\(place.isPostgres ? ", 0" : ""))
                """)

            let failure =
                place.isPostgres
                ? JournalError.postgres(sqlState: "23514", message: "events must be appended at the next seq")
                : JournalError.sqlite(code: 19, message: "events must be appended at the next seq")
            let pending = try journal.submit([StreamWrite(stream: "s", expected: .any, events: [event()])])
            await #expect(throws: failure) { try await pending.durable() }
            #expect(throws: failure) { try journal.submit([StreamWrite(stream: "s", expected: .any, events: [])]) }
            #expect(
                failure.description
                    == (place.isPostgres
                        ? "PostgreSQL error 23514: events must be appended at the next seq"
                        : "SQLite error 19: events must be appended at the next seq"))
        }
    }

    @Test(arguments: TestStore.all)
    func streamVersionsPastTheLimitAreForgottenAndReadAgain(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let writes = (0...Journal.streamVersionLimit).map {
                StreamWrite(stream: "run-\($0)", expected: .noStream, events: [event()])
            }
            _ = try await journal.append(writes)
            #expect(journal.cachedStreamVersions == 0)
            // A forgotten stream's version comes from the store: the next append checks against it.
            _ = try await journal.append(stream: "run-7", expected: .exact(1), events: [event()])
            #expect(throws: JournalError.self) {
                _ = try journal.submit([StreamWrite(stream: "run-8", expected: .noStream, events: [event()])])
            }
            #expect(journal.cachedStreamVersions == 2)
        }
    }

    /// Batches of every size the writer splits into multi-row inserts (32, 4 and 1 rows), and across dictionary
    /// rollovers, read back as appended, chain intact.
    @Test(arguments: TestStore.all)
    func batchesOfEverySizeReadBackAsAppended(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            var appended: [RecordedEvent] = []
            var random = SplitMix64(seed: 8)
            for size in [1, 2, 3, 4, 5, 31, 32, 33, 36, 37, 64, 100, 131, 1_000] {
                let writes = (0..<size).map { index in
                    StreamWrite(
                        stream: "batch-\(size)-\(index % 7)", expected: .any,
                        events: [event(payload: #"{"size":\#(size),"n":\#(random.next() % 100_000_000)}"# + String(repeating: "x", count: 700))])
                }
                appended += try await journal.append(writes)
            }
            #expect(appended.map(\.seq) == Array(1...Int64(appended.count)))
            #expect(try journal.read(after: 0, limit: 10_000) == appended)
            #expect(try journal.stats().dictionaries > 1)
            #expect(try journal.verify() == VerifyReport(eventsChecked: Int64(appended.count)))
        }
    }
}
