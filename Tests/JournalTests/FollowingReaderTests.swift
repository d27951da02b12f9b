import Testing

@testable import Journal

/// A journal opened read-only beside its writer sees the writer's later commits once it refreshes, dictionaries
/// the writer made since included.
struct FollowingReaderTests {
    @Test(arguments: TestStore.all)
    func aReadOnlyJournalSeesItsWritersCommitsAfterARefresh(store: TestStore) async throws {
        try await withJournal(store) { place in
            var random = SplitMix64(seed: 11)
            let writer = try place.open(seedDictionary: seedDictionary(count: 30))
            defer { writer.close() }
            _ = try await writer.append(stream: "run-0", expected: .any, events: [event()])
            let follower = try place.open(readOnly: true)
            defer { follower.close() }
            #expect(follower.durableSeq == 1)

            // Enough bytes that the writer rolls its dictionary over: the follower must load the new one.
            var written: [RecordedEvent] = []
            for batch in 0..<15 {
                written += try await writer.append(
                    stream: "run-\(batch % 2)", expected: .any, events: (0..<100).map { conditionEvent(&random, index: batch * 100 + $0) })
            }
            #expect(try writer.stats().dictionaries > 1)
            var replayed = 0
            try follower.replay(after: 1) { _ in replayed += 1 }
            #expect(replayed == 0)
            #expect(try follower.refresh() == 1501)
            try follower.replay(after: 1) { _ in replayed += 1 }
            #expect(replayed == 1500)
            #expect(try follower.read(after: 1, limit: 2000) == written)
            #expect(throws: JournalError.notReadOnly) { try writer.refresh() }
        }
    }
}
