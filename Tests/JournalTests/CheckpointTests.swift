import Testing

@testable import Journal

struct CheckpointTests {
    @Test(arguments: TestStore.all)
    func theNewestCheckpointComesBack(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            #expect(try journal.latestCheckpoint() == nil)

            _ = try await journal.append(stream: "s", expected: .any, events: (0..<5).map { _ in event() })
            let image = Array(String(repeating: #"{"placements":{"web":{"generation":3}}}"#, count: 200).utf8)
            try await journal.saveCheckpoint(seq: 3, image: Array("small".utf8))
            try await journal.saveCheckpoint(seq: 5, image: image)

            let latest = try #require(try journal.latestCheckpoint())
            #expect(latest.seq == 5)
            #expect(latest.image == image)
            let stored = try place.outside().int64("SELECT length(image) FROM checkpoints WHERE seq = 5")
            #expect(try #require(stored) < Int64(image.count) / 10)

            try await journal.saveCheckpoint(seq: 5, image: [])
            #expect(try journal.latestCheckpoint()?.image == [])
            try await journal.saveCheckpoint(seq: 0, image: [1])
            #expect(try journal.latestCheckpoint()?.seq == 5)
        }
    }

    @Test(arguments: TestStore.all)
    func aCheckpointCannotRunAheadOfTheLog(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
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

    @Test(arguments: TestStore.all)
    func aCheckpointAtASubmittedSeqCommitsItsEventsFirst(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let submission = try journal.submit([StreamWrite(stream: "s", expected: .any, events: [event(), event()])])
            try await journal.saveCheckpoint(seq: 2, image: [42])
            #expect(journal.durableSeq == 2)
            try await submission.durable()
            #expect(try journal.latestCheckpoint()?.seq == 2)
        }
    }

    @Test(arguments: TestStore.all)
    func aCheckpointCarriesTheChainHashOfItsSeqAndIsUsedOnlyWhileItMatches(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let recorded = try await journal.append(stream: "s", expected: .any, events: (0..<4).map { _ in event() })
            try await journal.saveCheckpoint(seq: 2, image: [2])
            try await journal.saveCheckpoint(seq: 4, image: [4])
            #expect(try journal.checkpoints().map(\.hash) == [recorded[3].hash, recorded[1].hash])
            // A checkpoint copied from another chain does not match this one and is passed over.
            try place.outside().execute("UPDATE checkpoints SET hash = zeroblob(32) WHERE seq = 4")
            #expect(try journal.checkpoints().map(\.matchesChain) == [false, true])
            #expect(try journal.latestCheckpoint()?.seq == 2)
        }
    }

    @Test(arguments: TestStore.all)
    func theNewestCheckpointIsFoundWithoutReadingOlderImages(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .any, events: (0..<3).map { _ in event() })
            for seq in Int64(1)...3 { try await journal.saveCheckpoint(seq: seq, image: Array(repeating: UInt8(seq), count: 100)) }
            // The oldest image is damaged: reading every checkpoint stops on it, finding the newest never reads it.
            try place.outside().execute("UPDATE checkpoints SET image = x'00' WHERE seq = 1")
            let damaged = JournalError.corrupt(seq: 1, reason: "checkpoint image does not decompress")
            #expect(throws: damaged) { try journal.checkpoints() }
            #expect(try journal.latestCheckpoint()?.seq == 3)
            #expect(try journal.newestCheckpoint { $0.seq == 3 ? nil : $0.image } == Array(repeating: 2, count: 100))
            #expect(throws: damaged) { try journal.newestCheckpoint { _ in Int?.none } }
        }
    }

    @Test(arguments: TestStore.all)
    func onlyTheNewestCheckpointsAreKept(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .any, events: (0..<6).map { _ in event() })
            for seq in Int64(1)...6 { try await journal.saveCheckpoint(seq: seq, image: [UInt8(seq)]) }
            #expect(try journal.checkpoints().map(\.seq) == [6, 5, 4])
            #expect(Journal.retainedCheckpoints == 3)
        }
    }

    @Test(arguments: TestStore.all)
    func theTailAfterACheckpointIsVerifiedFromItsHash(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "a", expected: .any, events: (0..<3).map { _ in event() })
            _ = try await journal.append(stream: "b", expected: .any, events: [event()])
            _ = try await journal.append(stream: "a", expected: .any, events: (0..<2).map { _ in event() })
            #expect(try journal.verify(after: 3) == VerifyReport(eventsChecked: 3))
            #expect(try journal.verify(after: 6) == VerifyReport(eventsChecked: 0))
            let outside = try place.outside()
            try outside.allowTampering()
            try outside.execute("UPDATE events SET actor = 'mallory' WHERE seq = 5")
            #expect(try journal.verify(after: 3).firstBadSeq == 5)
            #expect(try journal.verify(after: 5).isIntact)
        }
    }
}
