import Testing

@testable import Journal

/// The `synchronous` option reaches the writer's connection (SQLite's `synchronous`, PostgreSQL's
/// `synchronous_commit`), and FULL stays the default.
struct SynchronousTests {
    @Test(arguments: TestStore.all)
    func theWriterSyncsEveryCommitByDefault(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            #expect(try journal.writerSynchronousSetting() == .full)
        }
    }

    @Test(arguments: TestStore.all, Synchronous.allCases)
    func theChosenSettingIsTheWritersAndTheStoreReadsTheSameEitherWay(
        store: TestStore, synchronous: Synchronous
    ) async throws {
        try await withJournal(store) { place in
            let journal = try place.open(synchronous: synchronous)
            #expect(try journal.writerSynchronousSetting() == synchronous)
            let written = try await journal.append(stream: "s", expected: .noStream, events: [event(), event()])
            journal.close()

            let reopened = try place.open()
            defer { reopened.close() }
            #expect(try reopened.writerSynchronousSetting() == .full)
            #expect(try reopened.read(after: 0, limit: 10) == written)
            #expect(try reopened.verify().isIntact)
        }
    }
}
