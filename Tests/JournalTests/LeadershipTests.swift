import Testing

@testable import Journal

/// Several hubs on one PostgreSQL journal: the campaign for the lease, the promotion of a follower, the fencing
/// of the writer it replaces, and waiting for another writer's commits (on both stores).
struct LeadershipTests {
    @Test(arguments: TestStore.postgres)
    func campaignsTakeRenewAndLeaveTheLease(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            let first = try journal.campaign(holder: "hub-a", address: "http://a:8080", lease: .seconds(30))
            #expect(first.holder == "hub-a" && first.address == "http://a:8080" && first.epoch == 1)
            #expect(first.isHeld(by: "hub-a"))
            #expect(first.remaining == .seconds(30))

            let renewed = try journal.campaign(holder: "hub-a", address: "http://a:8081", lease: .seconds(30))
            #expect(renewed.epoch == 1 && renewed.address == "http://a:8081")
            #expect(try #require(renewed.expires) >= first.expires!)

            let other = try journal.campaign(holder: "hub-b", address: "http://b:8080", lease: .seconds(30))
            #expect(other == Leadership(
                holder: "hub-a", address: "http://a:8081", epoch: 1, expires: renewed.expires,
                remaining: other.remaining))
            #expect(!other.isHeld(by: "hub-b"))
            #expect(try place.outside().rows("SELECT epoch, expires FROM leader", columns: 2) == [[1, renewed.expires!]])
        }
    }

    @Test(arguments: TestStore.postgres)
    func aFollowerTakesAnEndedLeaseUnderTheNextEpoch(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try journal.campaign(holder: "hub-a", address: "http://a", lease: .milliseconds(50))
            try await Task.sleep(for: .milliseconds(100))
            let taken = try journal.campaign(holder: "hub-b", address: "http://b", lease: .seconds(30))
            #expect(taken.holder == "hub-b" && taken.address == "http://b" && taken.epoch == 2)
        }
    }

    /// The failover of issue 14 at the journal's level: A leads and appends, B follows, A's lease ends, B takes
    /// over and appends, and A's next append is refused and writes nothing.
    @Test(arguments: TestStore.postgres)
    func aPromotedFollowerWritesAndFencesTheWriterItReplaces(store: TestStore) async throws {
        try await withJournal(store) { place in
            try place.open().close()
            let a = try place.open(readOnly: true)
            defer { a.close() }
            let b = try place.open(readOnly: true)
            defer { b.close() }

            let won = try a.campaign(holder: "hub-a", address: "http://a", lease: .milliseconds(200))
            #expect(won.isHeld(by: "hub-a"))
            try a.promote(epoch: won.epoch)
            _ = try await a.append(stream: "run/1", expected: .noStream, events: [event(), event()])
            #expect(try b.refresh() == 2)

            try await Task.sleep(for: .milliseconds(300))
            let taken = try b.campaign(holder: "hub-b", address: "http://b", lease: .seconds(30))
            #expect(taken.isHeld(by: "hub-b") && taken.epoch == won.epoch + 1)
            try b.promote(epoch: taken.epoch)
            #expect(b.lastSeq == 2)
            #expect(try b.streamVersion("run/1") == 2)
            let appended = try await b.append(stream: "run/1", expected: .exact(2), events: [event()])
            #expect(appended.map(\.seq) == [3])

            let deposed = JournalError.deposed(epoch: won.epoch, leaderEpoch: taken.epoch)
            await #expect(throws: deposed) {
                try await a.append(stream: "run/2", expected: .noStream, events: [event()])
            }
            #expect(throws: deposed) { try a.submit([StreamWrite(stream: "run/2", expected: .any, events: [event()])]) }
            #expect(deposed.description == "this writer's epoch 1 was fenced off: the journal's leader writes at epoch 2")
            #expect(try place.outside().int64("SELECT count(*) FROM events") == 3)
            #expect(try b.verify() == VerifyReport(eventsChecked: 3))

            a.demote()
            #expect(try a.refresh() == 3)
            #expect(try a.read(after: 0, limit: 10).map(\.seq) == [1, 2, 3])
        }
    }

    /// A writer carries on from the tip another writer left, dictionaries included: its events decode.
    @Test(arguments: TestStore.postgres)
    func aPromotedFollowerCompressesWithTheDictionaryTheOldWriterMade(store: TestStore) async throws {
        try await withJournal(store) { place in
            var random = SplitMix64(seed: 5)
            let a = try place.open(seedDictionary: seedDictionary(count: 30))
            defer { a.close() }
            let b = try place.open(readOnly: true)
            defer { b.close() }
            for batch in 0..<15 {
                _ = try await a.append(
                    stream: "run", expected: .any, events: (0..<100).map { conditionEvent(&random, index: batch * 100 + $0) })
            }
            #expect(try a.stats().dictionaries > 1)
            let won = try b.campaign(holder: "hub-b", address: "http://b", lease: .seconds(30))
            try b.promote(epoch: won.epoch)
            let written = try await b.append(
                stream: "run", expected: .exact(1500), events: (0..<100).map { conditionEvent(&random, index: 1500 + $0) })
            #expect(try b.read(after: 1500, limit: 200) == written)
            #expect(try b.verify() == VerifyReport(eventsChecked: 1600))
        }
    }

    @Test func aSQLiteFileHasOneHubThatLeadsForGood() async throws {
        try await withJournal(.sqlite) { place in
            let journal = try place.open()
            defer { journal.close() }
            #expect(try journal.campaign(holder: "hub-a", address: "http://a", lease: .seconds(1))
                == Leadership(holder: "hub-a", address: "http://a", epoch: 0, expires: nil, remaining: nil))
            let follower = try place.open(readOnly: true)
            defer { follower.close() }
            #expect(throws: JournalError.cannotPromote("a SQLite journal has one hub, which opens the file writable")) {
                try follower.promote(epoch: 0)
            }
        }
    }

    @Test(arguments: TestStore.all)
    func aDemotedWriterRefusesWritesAndFollows(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .noStream, events: [event()])
            journal.demote()
            await #expect(throws: JournalError.readOnly) {
                try await journal.append(stream: "s", expected: .exact(1), events: [event()])
            }
            #expect(try journal.refresh() == 1)
        }
    }

    /// A follower waiting for the next commit wakes when another journal appends, well before its timeout.
    @Test(arguments: TestStore.all)
    func aWaiterWakesOnAnotherWritersCommit(store: TestStore) async throws {
        try await withJournal(store) { place in
            let writer = try place.open()
            defer { writer.close() }
            _ = try await writer.append(stream: "s", expected: .noStream, events: [event()])
            let follower = try place.open(readOnly: true)
            defer { follower.close() }
            #expect(try await follower.waitForCommit(after: 0, timeout: .seconds(60)) == 1)

            let timeout = Duration.seconds(60)
            let started = ContinuousClock.now
            async let woke = follower.waitForCommit(after: 1, timeout: timeout)
            try await Task.sleep(for: .milliseconds(50))
            _ = try await writer.append(stream: "s", expected: .exact(1), events: [event(), event()])
            #expect(try await woke == 3)
            // Woken by the commit, not by the timeout.
            #expect(ContinuousClock.now - started < timeout)
            #expect(try await follower.waitForCommit(after: 3, timeout: .milliseconds(20)) == 3)
        }
    }
}
