import Foundation
import Testing

@testable import Journal

/// `Journal.replay`: the one-pass read start-up folds the log from.
struct ReplayTests {
    /// What replay hands over of an event, copied out of the lent buffer.
    struct Seen: Equatable {
        var seq: Int64
        var type: String
        var time: Int64
        var actor: String
        var payload: [UInt8]
    }

    @Test(arguments: TestStore.all)
    func replayGivesWhatReadGivesAcrossDictionariesAndRawRows(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            var random = SplitMix64(seed: 9)
            for batch in 0..<12 {
                var events = (0..<100).map { conditionEvent(&random, index: batch * 100 + $0) }
                events.append(NewEvent(type: "Big.v1", time: 1, actor: "actor-\(batch)", payload: Array(String(repeating: "z", count: 70_000).utf8)))
                events.append(event(payload: "{}"))
                _ = try await journal.append(stream: "s-\(batch % 4)", expected: .any, events: events)
            }
            #expect(try journal.stats().dictionaries >= 2)
            let all = try journal.read(after: 0, limit: 100_000).map {
                Seen(seq: $0.seq, type: $0.type, time: $0.time, actor: $0.actor, payload: $0.payload)
            }
            var seen: [Seen] = []
            try journal.replay(after: 0) { seen.append(Seen(seq: $0.seq, type: $0.type, time: $0.time, actor: $0.actor, payload: Array($0.payload))) }
            #expect(seen == all)

            var tail: [Int64] = []
            try journal.replay(after: 100, through: 105) { tail.append($0.seq) }
            #expect(tail == [101, 102, 103, 104, 105])
        }
    }

    @Test(arguments: TestStore.all)
    func aBodyErrorStopsTheReplayAndIsRethrown(store: TestStore) async throws {
        struct Stop: Error {}
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            _ = try await journal.append(stream: "s", expected: .any, events: (0..<5).map { _ in event() })
            var count = 0
            #expect(throws: Stop.self) {
                try journal.replay(after: 0) { _ in
                    count += 1
                    if count == 2 { throw Stop() }
                }
            }
            #expect(count == 2)
        }
    }

    @Test(arguments: TestStore.all)
    func aDamagedPayloadIsNamedBySeq(store: TestStore) async throws {
        try await withJournal(store) { place in
            let journal = try place.open()
            defer { journal.close() }
            var random = SplitMix64(seed: 3)
            _ = try await journal.append(stream: "s", expected: .any, events: (0..<10).map { conditionEvent(&random, index: $0) })
            let outside = try place.outside()
            try outside.allowTampering()
            try outside.execute("UPDATE events SET raw_len = raw_len + 1 WHERE seq = 4")
            var seen: [Int64] = []
            var failure: JournalError?
            do {
                try journal.replay(after: 0) { seen.append($0.seq) }
            } catch let error as JournalError {
                failure = error
            }
            guard case .corrupt(seq: 4, _)? = failure else {
                Issue.record("expected a corrupt row at seq 4, got \(String(describing: failure))")
                return
            }
            #expect(seen == [1, 2, 3])
        }
    }

    @Test func internedNamesAreTheStringsOfTheirBytesAtEveryLength() {
        var names = InternedNames()
        let texts = (0...40).map { String("member/bk000000-m01-abcdefghijklmnopqrstuvwxyz".prefix($0)) } + ["a\u{00e9}", "member/bk000001-m01"]
        for _ in 0..<2 {
            for text in texts {
                let bytes = Array(text.utf8)
                #expect(bytes.withUnsafeBufferPointer { names.name($0) } == text)
            }
        }
        let invalid: [UInt8] = [0x61, 0xFF]
        #expect(invalid.withUnsafeBufferPointer { names.name($0) } == String(decoding: invalid, as: UTF8.self))
        #expect(names.name(UnsafeBufferPointer(start: nil, count: 0)) == "")
    }

    @Test func namesThatDifferInTheirLastBytesTakeDifferentSlots() {
        let slots = Set((1...50).map { index in
            Array(String(format: "member/bk000000-m%02d", index).utf8).withUnsafeBufferPointer {
                InternedNames.slot($0.baseAddress!, count: $0.count)
            }
        })
        #expect(slots.count >= 48)
    }
}
