import Testing

@testable import Journal

struct CompressionTests {
    /// The compressor's working stream refers to the dictionary in place and is reset, not rebuilt, between
    /// payloads: each block must still decode with nothing but its dictionary, whatever was compressed before it.
    @Test(arguments: [0, 30])
    func everyBlockDecodesAloneWithItsDictionaryAfterAnyHistory(seedEvents: Int) {
        let dictionary = Array(seedDictionary(count: seedEvents).suffix(LZ4.windowSize))
        let compressor = DictionaryCompressor(id: 1, dictionary: dictionary)
        var random = SplitMix64(seed: 11)
        var compressed = 0
        for index in 0..<3000 {
            let payload =
                switch index % 50 {
                case 7: noisyPayload(&random, count: 5000 + random.below(3000))
                case 8: Array(repeating: UInt8(ascii: "y"), count: 4096 + random.below(3))
                default: conditionEvent(&random, index: index).payload
                }
            let block = compressor.withCompressed(payload) { $0.map { Array($0) } }
            guard let block else { continue }
            #expect(block.count < payload.count)
            #expect(LZ4.decompress(block, rawLength: payload.count, dictionary: dictionary) == payload, "payload \(index)")
            compressed += 1
        }
        #expect(compressed > (seedEvents == 0 ? 100 : 2900))
    }

    @Test(arguments: TestStore.all)
    func payloadsOfEverySizeRoundTrip(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open(seedDictionary: seedDictionary(count: 50))
            defer { journal.close() }
            var random = SplitMix64(seed: 1)
            let payloads: [[UInt8]] = [
                [],
                Array("{}".utf8),
                conditionEvent(&random, index: 0).payload,
                noisyPayload(&random, count: 200),
                Array(repeating: UInt8(ascii: "x"), count: 100_000),
                noisyPayload(&random, count: 70_000),
                (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) },
                [],
            ]
            let recorded = try await journal.append(
                stream: "blobs", expected: .noStream,
                events: payloads.map { NewEvent(type: "Blob.v1", time: 0, actor: "tests", payload: $0) })

            let read = try journal.read(after: 0, limit: 100)
            #expect(read == recorded)
            #expect(read.map(\.payload) == payloads)
            #expect(try journal.verify() == VerifyReport(eventsChecked: Int64(payloads.count)))

            let rows = try storedRows(place)
            #expect(rows[0] == StoredRow(dictionaryID: 0, rawLength: 0, storedLength: 0))
            #expect(rows[4].dictionaryID == 1 && rows[4].storedLength < 1000)
            #expect(rows[7] == StoredRow(dictionaryID: 0, rawLength: 0, storedLength: 0))
        }
    }

    @Test(arguments: TestStore.all)
    func dictionaryRollsOverAfterItsRawBytesAndEverythingStaysReadable(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            var random = SplitMix64(seed: 2)
            var all: [RecordedEvent] = []
            var batch = 0
            while all.reduce(0, { $0 + $1.payload.count }) <= 3 * CompressionState.rolloverBytes + 50_000 {
                let events = (0..<100).map { conditionEvent(&random, index: batch * 100 + $0) }
                all += try await journal.append(stream: "run-\(batch % 3)", expected: .any, events: events)
                batch += 1
            }
            let stats = try journal.stats()
            #expect(stats.rawBytes > 3 * Int64(CompressionState.rolloverBytes))
            #expect(stats.dictionaries >= 3)
            let fullSegments = Int(stats.rawBytes / Int64(CompressionState.rolloverBytes))
            #expect((fullSegments...fullSegments + 1).contains(stats.dictionaries))

            let outside = try place.outside()
            let usedDictionaries = try outside.int64("SELECT count(DISTINCT dict_id) FROM events WHERE dict_id > 0")
            #expect(usedDictionaries == Int64(stats.dictionaries))
            let newestSize = try outside.int64("SELECT raw_len FROM dictionaries ORDER BY id DESC LIMIT 1")
            #expect(newestSize == Int64(LZ4.windowSize))
            let firstUse = try outside.int64("SELECT min(seq) FROM events WHERE dict_id = 2")
            #expect(try outside.int64("SELECT from_seq FROM dictionaries WHERE id = 2") == firstUse)

            #expect(try journal.read(after: 0, limit: 10_000) == all)
            #expect(try journal.verify() == VerifyReport(eventsChecked: Int64(all.count)))

            let reopened = try place.reopen(journal)
            defer { reopened.close() }
            #expect(try reopened.read(after: 0, limit: 10_000) == all)
        }
    }

    @Test func theDictionaryCacheKeepsOnlyTheMostRecentlyUsed() {
        let cache = DictionaryCache()
        for id in 1...Int64(DictionaryCache.capacity) { cache.insert(id: id, bytes: [UInt8(id % 256)]) }
        let store: (Int64) -> [UInt8]? = { _ in nil }
        // Using dictionary 1 keeps it; the next insert evicts 2, the least recently used.
        #expect(cache.bytes(id: 1, load: store) == [1])
        cache.insert(id: 1000, bytes: [0])
        #expect(cache.count == DictionaryCache.capacity)
        #expect(cache.bytes(id: 1, load: store) == [1])
        #expect(cache.bytes(id: 2, load: store) == nil)
        #expect(cache.bytes(id: 2) { _ in [9] } == [9])
    }

    @Test(arguments: TestStore.all)
    func smallJsonEventsCompressAtLeastThreefoldWithASeedDictionary(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open(seedDictionary: seedDictionary(count: 120))
            defer { journal.close() }
            var random = SplitMix64(seed: 3)
            for batch in 0..<6 {
                let events = (0..<50).map { conditionEvent(&random, index: batch * 50 + $0) }
                _ = try await journal.append(stream: "placement-\(batch)", expected: .noStream, events: events)
            }
            let stats = try journal.stats()
            print(
                "300 condition events: \(stats.rawBytes) -> \(stats.storedBytes) bytes, ratio \(stats.ratio)"
            )
            #expect(stats.events == 300)
            #expect(stats.dictionaries == 1)
            #expect(stats.ratio >= 3)
            #expect(try journal.verify().isIntact)
        }
    }

    @Test func lz4BlocksRejectDamage() throws {
        let raw = Array(String(repeating: "kubernetes-fleet ", count: 40).utf8)
        let block = try #require(LZ4.compress(raw))
        #expect(LZ4.decompress(block, rawLength: raw.count) == raw)
        #expect(LZ4.decompress(block, rawLength: raw.count + 1) == nil)
        #expect(LZ4.decompress(Array(block.prefix(block.count / 2)), rawLength: raw.count) == nil)
        #expect(LZ4.compress([1, 2, 3]) == nil)
        #expect(LZ4.unpack(LZ4.pack([1, 2, 3]), rawLength: 3) == [1, 2, 3])
    }
}

struct StoredRow: Equatable {
    let dictionaryID: Int64
    let rawLength: Int64
    let storedLength: Int64
}

func storedRows(_ place: TestPlace) throws -> [StoredRow] {
    try place.outside().rows("SELECT dict_id, raw_len, length(payload) FROM events ORDER BY seq", columns: 3).map {
        StoredRow(dictionaryID: $0[0], rawLength: $0[1], storedLength: $0[2])
    }
}
