import Testing

@testable import Journal

struct CheckpointTests {
    @Test func theNewestCheckpointComesBack() async throws {
        try await withJournalFile { path in
            let journal = try Journal(path: path)
            defer { journal.close() }
            #expect(try journal.latestCheckpoint() == nil)

            _ = try await journal.append(stream: "s", expected: .any, events: (0..<5).map { _ in event() })
            let image = Array(String(repeating: #"{"placements":{"web":{"generation":3}}}"#, count: 200).utf8)
            try await journal.saveCheckpoint(seq: 3, image: Array("small".utf8))
            try await journal.saveCheckpoint(seq: 5, image: image)

            let latest = try #require(try journal.latestCheckpoint())
            #expect(latest.seq == 5)
            #expect(latest.image == image)
            let stored = try outsideConnection(path).int64("SELECT length(image) FROM checkpoints WHERE seq = 5")
            #expect(try #require(stored) < Int64(image.count) / 10)

            try await journal.saveCheckpoint(seq: 5, image: [])
            #expect(try journal.latestCheckpoint()?.image == [])
            try await journal.saveCheckpoint(seq: 0, image: [1])
            #expect(try journal.latestCheckpoint()?.seq == 5)
        }
    }

    @Test func aCheckpointCannotRunAheadOfTheLog() async throws {
        try await withJournalFile { path in
            let journal = try Journal(path: path)
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .any, events: [event()])
            await #expect(throws: JournalError.checkpointOutOfRange(seq: 2, lastSeq: 1)) {
                try await journal.saveCheckpoint(seq: 2, image: [])
            }
            await #expect(throws: JournalError.checkpointOutOfRange(seq: -1, lastSeq: 1)) {
                try await journal.saveCheckpoint(seq: -1, image: [])
            }
        }
    }

    @Test func aCheckpointAtASubmittedSeqCommitsItsEventsFirst() async throws {
        try await withJournalFile { path in
            let journal = try Journal(path: path)
            defer { journal.close() }
            let submission = try journal.submit([StreamWrite(stream: "s", expected: .any, events: [event(), event()])])
            try await journal.saveCheckpoint(seq: 2, image: [42])
            #expect(journal.durableSeq == 2)
            try await submission.durable()
            #expect(try journal.latestCheckpoint()?.seq == 2)
        }
    }
}
