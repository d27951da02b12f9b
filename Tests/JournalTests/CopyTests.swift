import Testing

@testable import Journal

/// `Journal.copy(to:)`, which `flotilla journal copy` runs: between any two stores, the chain comes out the same.
struct CopyTests {
    @Test(arguments: TestStore.all, TestStore.all)
    func aCopyKeepsEveryEventTheChainAndTheCheckpoints(from: TestStore, to: TestStore) async throws {
        try await withJournal(from) { source in
            try await withJournal(to) { target in
                let original = try source.open(seedDictionary: seedDictionary(count: 20))
                defer { original.close() }
                var random = SplitMix64(seed: 8)
                for batch in 0..<6 {
                    let events = (0..<100).map { conditionEvent(&random, index: batch * 100 + $0) }
                    _ = try await original.append(stream: "run-\(batch % 4)", expected: .any, events: events)
                }
                try await original.saveCheckpoint(seq: 300, image: Array("three hundred".utf8))
                try await original.saveCheckpoint(seq: 600, image: Array("six hundred".utf8))

                let copy = try target.open()
                defer { copy.close() }
                let copied = try await original.copy(to: copy)
                #expect(copied.events == 600 && copied.checkpoints == 2)
                #expect(try copy.read(after: 0, limit: 1000) == original.read(after: 0, limit: 1000))
                #expect(try copy.verify() == VerifyReport(eventsChecked: 600))
                #expect(try copy.checkpoints() == original.checkpoints())
                #expect(try copy.streamVersion("run-1") == 200)

                await #expect(throws: JournalError.notEmpty(events: 600)) { try await original.copy(to: copy) }
            }
        }
    }
}
