import Testing

@testable import Journal

/// The `synchronous` option reaches the writer's connection, and FULL stays the default.
struct SynchronousTests {
    @Test func theWriterSyncsEveryCommitByDefault() async throws {
        try await withJournalFile { path in
            let journal = try Journal(path: path)
            defer { journal.close() }
            #expect(try journal.writerSynchronousSetting() == 2)
        }
    }

    @Test(arguments: Synchronous.allCases)
    func theChosenSettingIsTheWritersAndTheFileReadsTheSameEitherWay(synchronous: Synchronous) async throws {
        try await withJournalFile { path in
            let journal = try Journal(path: path, synchronous: synchronous)
            #expect(try journal.writerSynchronousSetting() == synchronous.pragmaValue)
            let written = try await journal.append(stream: "s", expected: .noStream, events: [event(), event()])
            journal.close()

            let reopened = try Journal(path: path)
            defer { reopened.close() }
            #expect(try reopened.writerSynchronousSetting() == 2)
            #expect(try reopened.read(after: 0, limit: 10) == written)
            #expect(try reopened.verify().isIntact)
        }
    }
}
